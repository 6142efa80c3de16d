#!/usr/bin/env node
// Builds every action's dist/ with @vercel/ncc: index.js, the chunks it loads lazily (e.g. 750.index.js),
// licenses.txt, and bundle-inputs.json, which records every file the build read and every path it probed and
// did not find, so check-dist can tell a fresh bundle without rebuilding it.
// Usage: node actions/bundle.mjs [--out DIR] [action ...]
//   --out DIR  write DIR/<action>/dist instead of actions/<action>/dist (the check-dist test uses this)
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);
export const MANIFEST = 'bundle-inputs.json';
const LICENSES = 'licenses.txt';

export function listActions() {
  return readdirSync(join(root, 'actions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'action.yml')))
    .map((d) => d.name)
    .sort();
}

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
/** The fields of a package.json that module resolution reads; scripts or devDependencies do not change a bundle. */
const RESOLUTION_FIELDS = ['name', 'type', 'main', 'module', 'browser', 'exports', 'imports', 'sideEffects'];
function inputDigest(path) {
  if (!path.endsWith(`${sep}package.json`)) return sha256(path);
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  const fields = Object.fromEntries(RESOLUTION_FIELDS.filter((f) => f in manifest).map((f) => [f, manifest[f]]));
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
const repoPath = (path) => relative(root, path).split(sep).join('/');
const insideRepo = (path) => !relative(root, path).startsWith('..');

/** Builds one action into `<outRoot>/<name>/dist` (or its own dist/) and returns the files written with their sizes. */
export async function bundleAction(name, outRoot) {
  const { default: ncc } = await import('@vercel/ncc');
  const entry = join(root, 'actions', name, 'src', 'index.ts');
  const out = outRoot ? join(outRoot, name, 'dist') : join(root, 'actions', name, 'dist');
  const { code, assets, stats } = await ncc(entry, {
    minify: true,
    transpileOnly: true,
    quiet: true,
    target: 'es2022',
  });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'index.js'), code);
  for (const [file, asset] of Object.entries(assets)) writeFileSync(join(out, file), asset.source);
  // ncc's own --license writes one file per chunk under the same name, so only the last chunk's would survive.
  writeFileSync(join(out, LICENSES), licensesOf(moduleResources(stats)));
  writeFileSync(join(out, MANIFEST), `${JSON.stringify(manifestOf(stats, out, entry), null, 2)}\n`);
  return readdirSync(out)
    .sort()
    .map((file) => ({ file, bytes: statSync(join(out, file)).size }));
}

/** Absolute paths of every module in the bundle and its chunks. */
function moduleResources(stats) {
  const resources = new Set();
  const walk = (modules) => {
    for (const module of modules ?? []) {
      if (module.nameForCondition) resources.add(module.nameForCondition);
      walk(module.modules);
    }
  };
  walk(stats.toJson({ modules: true, nestedModules: true, all: false }).modules);
  return resources;
}

/** The license of every npm package in the bundle: name, license id and text, as ncc's plugin writes them. */
function licensesOf(resources) {
  const packages = new Map();
  for (const resource of resources) {
    const index = resource.lastIndexOf(`${sep}node_modules${sep}`);
    if (index < 0) continue;
    const rest = resource.slice(index + 14).split(sep);
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    packages.set(name, join(resource.slice(0, index + 14), ...name.split('/')));
  }
  return (
    [...packages.keys()]
      .sort()
      .map((name) => {
        const directory = packages.get(name);
        const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
        const license = typeof manifest.license === 'object' ? manifest.license.type : (manifest.license ?? '');
        const file = readdirSync(directory).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
        // Line endings normalised: git stores dist/ with LF, so a CRLF license would make a clean clone look stale.
        const text = file ? readFileSync(join(directory, file), 'utf8').replace(/\r\n?/g, '\n').trim() : '';
        return [name, license, text].filter((part) => part !== '').join('\n');
      })
      .join('\n\n') + '\n'
  );
}

/**
 * What the build depended on: a hash of every file it read, every path it probed and did not find (a file created
 * there could change what an import resolves to), and a hash of each output. Paths are relative to the repository.
 */
function manifestOf(stats, out, entry) {
  const compilation = stats.compilation;
  const inputs = {};
  const read = [...compilation.fileDependencies, ...tsconfigChain(dirname(entry)), self];
  for (const path of [...new Set(read)].filter(insideRepo).sort()) {
    if (existsSync(path) && statSync(path).isFile()) inputs[repoPath(path)] = inputDigest(path);
  }
  // Webpack also lists directories it probed as files; only paths that did not exist at all are recorded.
  const missing = [...compilation.missingDependencies].filter((path) => insideRepo(path) && !existsSync(path));
  const absent = [...new Set(missing.map(repoPath))].sort();
  const outputs = {};
  for (const file of readdirSync(out).sort()) if (file !== MANIFEST) outputs[file] = sha256(join(out, file));
  return { inputs, absent, outputs };
}

/** The tsconfig.json ncc's TypeScript loader uses for an entry (the nearest one up) and the files it extends. */
function tsconfigChain(directory) {
  let current = directory;
  while (!existsSync(join(current, 'tsconfig.json'))) {
    if (current === root || dirname(current) === current) return [];
    current = dirname(current);
  }
  const chain = [];
  for (let file = join(current, 'tsconfig.json'); file && existsSync(file);) {
    chain.push(file);
    const extended = JSON.parse(readFileSync(file, 'utf8')).extends;
    file = typeof extended === 'string' && extended.startsWith('.') ? resolve(dirname(file), extended) : undefined;
  }
  return chain;
}

/**
 * Why a committed dist/ may not be what a build would write now: inputs whose content changed or that disappeared,
 * probed paths that now exist, outputs that differ from what the build wrote. Empty when it is current.
 */
export function bundleDrift(distDirectory) {
  const manifestPath = join(distDirectory, MANIFEST);
  if (!existsSync(manifestPath)) return [`${MANIFEST} is missing`];
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const drift = [];
  for (const [path, hash] of Object.entries(manifest.inputs)) {
    const absolute = join(root, path);
    if (!existsSync(absolute)) drift.push(`input ${path} no longer exists`);
    else if (inputDigest(absolute) !== hash) drift.push(`input ${path} changed`);
  }
  if (!(repoPath(self) in manifest.inputs)) drift.push(`${repoPath(self)} is not among the recorded inputs`);
  for (const path of manifest.absent) if (existsSync(join(root, path))) drift.push(`${path} exists now`);
  const files = readdirSync(distDirectory).filter((file) => file !== MANIFEST);
  for (const file of files) {
    if (!(file in manifest.outputs)) drift.push(`dist/${file} was not written by the build`);
    else if (sha256(join(distDirectory, file)) !== manifest.outputs[file]) drift.push(`dist/${file} was changed`);
  }
  for (const file of Object.keys(manifest.outputs)) if (!files.includes(file)) drift.push(`dist/${file} is missing`);
  return drift;
}

if (process.argv[1] === self) {
  const args = process.argv.slice(2);
  let outRoot;
  const names = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') outRoot = resolve(args[++i]);
    else names.push(args[i]);
  }
  const actions = listActions();
  const unknown = names.filter((name) => !actions.includes(name));
  if (unknown.length > 0) {
    console.error(`No action ${unknown.map((n) => `"${n}"`).join(', ')}: actions are ${actions.join(', ')}`);
    process.exit(1);
  }
  const selected = names.length > 0 ? names : actions;
  if (selected.length === 1) {
    const started = Date.now();
    const files = await bundleAction(selected[0], outRoot);
    const sizes = files.map(({ file, bytes }) => `${file} ${bytes} B`).join(', ');
    console.log(`bundled ${selected[0]} in ${Date.now() - started} ms: ${sizes}`);
  } else {
    // One process per action, as many at once as there are cores: webpack and terser are CPU-bound.
    const run = promisify(execFile);
    const queue = [...selected];
    const worker = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const { stdout } = await run(process.execPath, [self, ...(outRoot ? ['--out', outRoot] : []), name], {
          cwd: root,
          env: { ...process.env, NODE_OPTIONS: '' },
          maxBuffer: 1 << 24,
        });
        process.stdout.write(stdout);
      }
    };
    await Promise.all(Array.from({ length: Math.min(availableParallelism(), selected.length) }, worker));
  }
}
