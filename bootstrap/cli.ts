import { runBootstrap } from './bootstrap.ts';
import { realDependencies } from './dependencies.ts';

/** `npm run bootstrap -- --repository OWNER/NAME --terraform-outputs FILE …`; `--help` prints the usage. */
process.exitCode = await runBootstrap(
  process.argv.slice(2),
  process.env,
  realDependencies(
    (line) => void process.stdout.write(`${line}\n`),
    (line) => void process.stderr.write(`${line}\n`),
  ),
);
