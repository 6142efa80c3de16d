#!/usr/bin/env node
// Builds every action's dist/index.js with @vercel/ncc (one build per action, licenses alongside).
// Usage: node tools/bundle.mjs [--out DIR] [action ...]
//   --out DIR  write DIR/<action>/dist instead of actions/<action>/dist (the check-dist test uses this)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ncc = join(root, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');

export function listActions() {
  return readdirSync(join(root, 'actions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'action.yml')))
    .map((d) => d.name)
    .sort();
}

export function bundleAction(name, outRoot) {
  const entry = join(root, 'actions', name, 'src', 'index.ts');
  const out = outRoot ? join(outRoot, name, 'dist') : join(root, 'actions', name, 'dist');
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      ncc,
      'build',
      entry,
      '-o',
      out,
      '--license',
      'licenses.txt',
      '--minify',
      '--transpile-only',
      '--quiet',
      '--target',
      'es2022',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '' },
    },
  );
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let outRoot;
  const names = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') outRoot = resolve(args[++i]);
    else names.push(args[i]);
  }
  const selected = names.length > 0 ? names : listActions();
  for (const name of selected) {
    if (!listActions().includes(name)) {
      console.error(`No action "${name}": actions are ${listActions().join(', ')}`);
      process.exit(1);
    }
    const started = Date.now();
    const out = bundleAction(name, outRoot);
    console.log(`bundled ${name} -> ${out} (${Date.now() - started} ms)`);
  }
}
