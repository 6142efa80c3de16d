import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentReport } from './environment-report';
import type { ServiceTemplate } from './release';

/** Environments in promotion order first, any other after them by name. */
const ORDER = ['dev', 'staging', 'prod'];

/** Every report (*.json) under a directory and its subdirectories (download-artifact puts each in its own). */
export function readReports(directory: string): EnvironmentReport[] {
  const found: EnvironmentReport[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.json')) {
        const report = JSON.parse(readFileSync(path, 'utf8')) as Partial<EnvironmentReport>;
        if (typeof report.environment !== 'string' || !report.summary || typeof report.planText !== 'string') {
          throw new Error(`${path} is not a plan report: give the files written by this action's mode "report"`);
        }
        found.push(report as EnvironmentReport);
      }
    }
  };
  walk(directory);
  if (found.length === 0)
    throw new Error(`no plan reports (*.json) under ${directory}: did the plan jobs upload them?`);
  const rank = (environment: string): number =>
    ORDER.includes(environment) ? ORDER.indexOf(environment) : ORDER.length;
  return found.sort((a, b) => rank(a.environment) - rank(b.environment) || a.environment.localeCompare(b.environment));
}

/** `<services-dir>/<service>/task-definition.json` for every service that has one. */
export function readServiceTemplates(servicesDir: string): ServiceTemplate[] {
  if (servicesDir === '' || !existsSync(servicesDir)) return [];
  return readdirSync(servicesDir)
    .sort()
    .map((service) => ({ service, templatePath: join(servicesDir, service, 'task-definition.json') }))
    .filter(({ templatePath }) => existsSync(templatePath))
    .map(({ service, templatePath }) => ({ service, templatePath, templateText: readFileSync(templatePath, 'utf8') }));
}
