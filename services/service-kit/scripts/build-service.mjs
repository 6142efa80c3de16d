// Bundles a service's src/server.ts into dist/server.js, and its migrate command src/migrate.ts (the data
// services have one) into dist/migrate.js, for plain `node` (run from the service's directory, as
// `npm run build -w @berth/<service>` does). Workspace packages (@berth/*, which are
// TypeScript) are bundled in; every other dependency stays external and is loaded from the
// image's production node_modules, so native or WebAssembly packages keep their own file layout.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const serviceDir = process.cwd();
const kitDir = new URL('..', import.meta.url).pathname;

function dependenciesOf(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return Object.keys(manifest.dependencies ?? {});
}

const external = [...new Set([...dependenciesOf(serviceDir), ...dependenciesOf(kitDir)])].filter(
  (name) => !name.startsWith('@berth/'),
);

const entryPoints = ['server', 'migrate']
  .map((name) => join(serviceDir, 'src', `${name}.ts`))
  .filter((path) => existsSync(path));

const result = await build({
  entryPoints,
  outdir: join(serviceDir, 'dist'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: [...external, ...external.map((name) => `${name}/*`)],
  logLevel: 'warning',
  metafile: true,
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
const built = Object.keys(result.metafile.outputs).filter((path) => path.endsWith('.js'));
console.log(
  `built ${built.join(', ')} (${Math.round(bytes / 1024)} KiB with source maps; external: ${external.join(', ')})`,
);
