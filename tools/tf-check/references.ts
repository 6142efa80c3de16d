import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { collectStrings, isExpression, type HclValue } from './hcl.ts';
import { escapeRegExp, lineIn, tfFiles, type Configuration, type Declaration } from './config.ts';
import type { Finding } from './findings.ts';

/** Arguments of a module block that Terraform itself interprets instead of passing to the module. */
const MODULE_META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/** Resolves a module block's local source to a directory, or explains why it cannot. */
export function moduleSourceDir(
  config: Configuration,
  declaration: Declaration,
): { dir: string } | { problem: string } {
  const source = declaration.body.source;
  if (typeof source !== 'string' || isExpression(source)) return { problem: 'source must be a literal string' };
  if (!source.startsWith('./') && !source.startsWith('../')) {
    return { problem: `source "${source}" is not a local path; only modules under terraform/ can be checked offline` };
  }
  const dir = resolve(config.dir, source);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { problem: `source "${source}" does not exist` };
  if (tfFiles(dir).length === 0) return { problem: `source "${source}" has no .tf files` };
  return { dir };
}

/**
 * Module calls: the source exists, every argument is a variable the module declares, and every variable without a
 * default is passed.
 */
export function checkModuleCalls(
  config: Configuration,
  loadModule: (dir: string) => Configuration,
  findings: Finding[],
): void {
  for (const [name, call] of config.modules) {
    const resolved = moduleSourceDir(config, call);
    if ('problem' in resolved) {
      findings.push({
        file: call.file,
        line: call.line,
        block: call.block,
        rule: 'module-source',
        message: resolved.problem,
      });
      continue;
    }
    const target = loadModule(resolved.dir);
    for (const argument of Object.keys(call.body)) {
      if (MODULE_META_ARGUMENTS.has(argument) || target.variables.has(argument)) continue;
      findings.push({
        file: call.file,
        line: lineIn(config, call.file, new RegExp(`^\\s+${escapeRegExp(argument)}\\s*=`), call.line),
        block: call.block,
        rule: 'module-argument',
        message: `argument "${argument}" is not a variable of ${target.displayDir} (module "${name}")`,
      });
    }
    for (const [variable, declaration] of target.variables) {
      if ('default' in declaration.body || variable in call.body) continue;
      findings.push({
        file: call.file,
        line: call.line,
        block: call.block,
        rule: 'module-required-input',
        message: `required variable "${variable}" of ${target.displayDir} (no default) is not passed`,
      });
    }
  }
}

/** Every place expressions can appear, with the declaration to blame in messages. */
function expressionSites(
  config: Configuration,
): { site: Pick<Declaration, 'file' | 'block' | 'line'>; value: HclValue }[] {
  const sites: { site: Pick<Declaration, 'file' | 'block' | 'line'>; value: HclValue }[] = [];
  const add = (declarations: Iterable<Declaration>): void => {
    for (const declaration of declarations) sites.push({ site: declaration, value: declaration.body });
  };
  add(config.variables.values());
  add(config.outputs.values());
  add(config.modules.values());
  add(config.resources.values());
  add(config.data.values());
  add(config.providers);
  for (const [name, local] of config.locals) {
    sites.push({ site: { file: local.file, line: local.line, block: `local.${name}` }, value: local.value });
  }
  return sites;
}

const VARIABLE_REFERENCE = /(?<![\w.-])var\.([A-Za-z_][\w-]*)/g;
const LOCAL_REFERENCE = /(?<![\w.-])local\.([A-Za-z_][\w-]*)/g;
const MODULE_REFERENCE = /(?<![\w.-])module\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][\w-]*))?/g;
const RESOURCE_REFERENCE = /(?<![\w.-])(aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;
const DATA_REFERENCE = /(?<![\w.-])data\.([a-z0-9_]+)\.([A-Za-z_][\w-]*)/g;

/**
 * References resolve: `var.x` is declared, `local.x` exists, `module.m.o` names a module block and one of its
 * outputs, and `aws_*.name` / `data.*.name` name declared resources and data sources.
 */
export function checkReferences(
  config: Configuration,
  loadModule: (dir: string) => Configuration,
  findings: Finding[],
): void {
  const reported = new Set<string>();
  const report = (
    site: Pick<Declaration, 'file' | 'block' | 'line'>,
    rule: string,
    needle: string,
    message: string,
  ): void => {
    const key = `${site.file}|${site.block}|${rule}|${needle}`;
    if (reported.has(key)) return;
    reported.add(key);
    const line = lineIn(config, site.file, new RegExp(`${escapeRegExp(needle)}(?![\\w-])`), site.line);
    findings.push({ file: site.file, line, block: site.block, rule, message });
  };
  for (const { site, value } of expressionSites(config)) {
    for (const text of collectStrings(value)) {
      if (!text.includes('${') && !text.includes('%{')) continue;
      for (const match of text.matchAll(VARIABLE_REFERENCE)) {
        const name = match[1] ?? '';
        if (!config.variables.has(name)) {
          report(site, 'undeclared-variable', `var.${name}`, `var.${name} is not declared in ${config.displayDir}`);
        }
      }
      for (const match of text.matchAll(LOCAL_REFERENCE)) {
        const name = match[1] ?? '';
        if (!config.locals.has(name)) {
          report(
            site,
            'undeclared-local',
            `local.${name}`,
            `local.${name} is not defined in any locals block of ${config.displayDir}`,
          );
        }
      }
      for (const match of text.matchAll(MODULE_REFERENCE)) {
        const name = match[1] ?? '';
        const output = match[2];
        const call = config.modules.get(name);
        if (!call) {
          report(
            site,
            'unknown-module',
            `module.${name}`,
            `module.${name} has no module block in ${config.displayDir}`,
          );
          continue;
        }
        const resolved = moduleSourceDir(config, call);
        if (output === undefined || 'problem' in resolved) continue;
        const target = loadModule(resolved.dir);
        if (!target.outputs.has(output)) {
          report(
            site,
            'unknown-module-output',
            `.${output}`,
            `module.${name}.${output}: ${target.displayDir} has no output "${output}"`,
          );
        }
      }
      for (const match of text.matchAll(RESOURCE_REFERENCE)) {
        const address = `${match[1]}.${match[2]}`;
        if (!config.resources.has(address)) {
          report(site, 'undeclared-resource', address, `${address} is not a resource of ${config.displayDir}`);
        }
      }
      for (const match of text.matchAll(DATA_REFERENCE)) {
        const address = `${match[1]}.${match[2]}`;
        if (!config.data.has(address)) {
          report(
            site,
            'undeclared-data-source',
            `data.${address}`,
            `data.${address} is not a data source of ${config.displayDir}`,
          );
        }
      }
    }
  }
}
