import { spawn } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One long-running AWS provider that several terraform commands attach to through TF_REATTACH_PROVIDERS, the
 * interface Terraform offers for debugging providers. Each terraform command otherwise starts the 675 MB provider
 * anew for every `run` block of a test (about 0.7 CPU-seconds a start); attached, it starts once. Only for commands
 * that never configure the provider (mocked `terraform test`, `validate`): a shared process holds one configuration.
 */
export interface SharedProvider {
  /** Value for TF_REATTACH_PROVIDERS. */
  reattach: string;
  pid: number;
  stop(): Promise<void>;
}

/** The AWS provider binary `terraform init` installed into a data directory (the version the lock file chose). */
export function installedAwsProvider(dataDir: string): string | undefined {
  const base = join(dataDir, 'providers', 'registry.terraform.io', 'hashicorp', 'aws');
  if (!existsSync(base)) return undefined;
  const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  for (const version of readdirSync(base).sort().reverse()) {
    const dir = join(base, version, platform);
    if (!existsSync(dir)) continue;
    const binary = readdirSync(dir).find((name) => name.startsWith('terraform-provider-aws'));
    if (binary) return realpathSync(join(dir, binary));
  }
  return undefined;
}

/**
 * Starts the AWS provider `terraform init` installed into `dataDir` (so the version the lock file chose) for the
 * commands of one configuration to share: a plan and its `show`, or a workspace's apply, state and plan, which would
 * otherwise each start it anew, several times per command. Undefined when init installed none.
 */
export async function startInstalledProvider(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  scratch: string,
): Promise<SharedProvider | undefined> {
  const binary = installedAwsProvider(dataDir);
  return binary ? startSharedProvider(binary, { env: { ...env, TMPDIR: scratch } }) : undefined;
}

/** Starts `<provider> -debug` and waits for the reattach line it prints once it serves. */
export function startSharedProvider(
  binary: string,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<SharedProvider> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const env = { ...(options.env ?? process.env) };
  delete env.TF_REATTACH_PROVIDERS;
  const child = spawn(binary, ['-debug'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  // The provider would outlive a test worker that ends without stopping it.
  const onExit = (): void => {
    child.kill('SIGTERM');
  };
  process.once('exit', onExit);
  return new Promise((resolve, reject) => {
    const fail = (reason: string): void => {
      clearTimeout(timer);
      process.removeListener('exit', onExit);
      child.kill('SIGTERM');
      reject(new Error(`could not start ${binary} -debug: ${reason}\n${output.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`no reattach line within ${timeoutMs} ms`), timeoutMs);
    const read = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /TF_REATTACH_PROVIDERS='(\{.*\})'/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout.removeListener('data', read);
      child.stdout.resume();
      child.stderr.resume();
      resolve({
        reattach: match[1],
        pid: child.pid ?? -1,
        stop: async () => {
          process.removeListener('exit', onExit);
          await stop();
        },
      });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.on('error', (error) => fail(error.message));
    child.on('exit', (code, signal) => fail(`exited (${signal ?? code}) before serving`));
  });
}
