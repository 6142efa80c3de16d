#!/usr/bin/env node
// Builds the deploy-notifier Lambda: one CommonJS file bundled by esbuild (handler `index.handler`,
// Node.js 22 runtime) zipped at services/deploy-notifier/build/deploy-notifier.zip, the path the
// Terraform module deploys. Usage: npm run build:lambda
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createZip } from './zip.mjs';

const serviceDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const zipPath = join(serviceDir, 'build', 'deploy-notifier.zip');

/** @param {{ out?: string }} options `out` replaces the stable path (tests build into temporary directories) */
export async function buildLambda(options = {}) {
  const out = options.out ?? zipPath;
  const started = Date.now();
  const result = await build({
    entryPoints: [join(serviceDir, 'src', 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    // CommonJS, because nodemailer requires Node built-ins dynamically; `index.js` with no package.json
    // beside it is loaded as CommonJS by the Lambda runtime.
    format: 'cjs',
    minify: true,
    keepNames: true,
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].contents;
  const zip = createZip([{ name: 'index.js', data: Buffer.from(code) }]);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, zip);
  return { zipPath: out, codeBytes: code.length, zipBytes: zip.length, ms: Date.now() - started };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { codeBytes, zipBytes, ms } = await buildLambda();
  console.log(
    `built ${zipPath}: index.js ${(codeBytes / 1024).toFixed(0)} KiB, zip ${(zipBytes / 1024).toFixed(0)} KiB (${ms} ms)`,
  );
}
