import { mkdtempSync, rmSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { startAwsReadServer, type AwsCall, type AwsReadServer } from './aws-read-server.ts';
import { copyTerraformTree, offlineAwsEnvironment, writeProviderOverride } from './offline-copy.ts';
import { describeRun, runTerraform, type RunResult } from './run.ts';
import type { TerraformSetup } from './setup.ts';
import { startInstalledProvider, type SharedProvider } from './shared-provider.ts';

/**
 * A copy of a Terraform tree whose roots run any command (apply, plan, import…) against loopback servers, each
 * root with a local state that lasts as long as the workspace: for tests that need state, such as a refreshing
 * plan of resources an apply created. The working tree is never written. After a root's `init`, its commands attach
 * to one provider of their own (an apply otherwise starts it several times), so a root's commands run one at a time.
 */
export interface OfflineWorkspaceOptions {
  /** Directory copied (module sources resolve inside it), e.g. the checkout's terraform/. */
  treeRoot: string;
  /** Roots inside treeRoot that commands run in; each gets the provider override and a local backend. */
  roots: string[];
  /** Provider region of a root without a provider block; default us-east-1. */
  region?: string;
  /** Account id data.aws_caller_identity returns. */
  accountId?: string;
  /** Zone letters data.aws_availability_zones returns per region; default a to f. */
  zoneLetters?: string[];
  /** Prefix of the scratch directory's name; default `workspace-<treeRoot's name>`. */
  name?: string;
  /**
   * Loopback servers for chosen services instead of the caller-identity server, by the SDKs' service identifier
   * (`{ 'Secrets Manager': url }`, see offlineAwsEnvironment).
   */
  endpoints?: Record<string, string>;
}

export interface OfflineWorkspace {
  /** Runs terraform in a root (as passed in `roots`); throws with the output on a non-zero exit unless allowed. */
  run(root: string, args: string[], options?: { allowFailure?: boolean }): Promise<RunResult>;
  /** The AWS calls the loopback read server answered so far. */
  awsCalls(): AwsCall[];
  /** Scratch directory holding the copy, for files the commands read (removed by close()). */
  scratchDir: string;
  close(): Promise<void>;
}

export async function openOfflineWorkspace(
  setup: TerraformSetup,
  options: OfflineWorkspaceOptions,
): Promise<OfflineWorkspace> {
  const treeRoot = resolve(options.treeRoot);
  const copyRoot = mkdtempSync(join(setup.workDir, `${options.name ?? `workspace-${basename(treeRoot)}`}-`));
  let server: AwsReadServer | undefined;
  try {
    server = await startAwsReadServer({ accountId: options.accountId, zoneLetters: options.zoneLetters });
    copyTerraformTree(treeRoot, copyRoot);
    const copies = new Map<string, string>();
    for (const root of options.roots) {
      const inTree = relative(treeRoot, resolve(root));
      if (inTree.startsWith('..')) throw new Error(`openOfflineWorkspace: ${root} is not inside ${treeRoot}`);
      const copy = join(copyRoot, inTree);
      writeProviderOverride(copy, options.region ?? 'us-east-1');
      copies.set(root, copy);
    }
    // The copy's lock files have no checksums: its inits stay away from the plugin cache (TerraformSetup.copyEnv).
    const env = offlineAwsEnvironment(setup.copyEnv, copyRoot, server.url, options.endpoints);
    const readServer = server;
    // Per root, started from what its first successful init installed; `init` itself never attaches.
    const providers = new Map<string, Promise<SharedProvider | undefined>>();
    return {
      async run(root, args, runOptions = {}) {
        const copy = copies.get(root);
        if (copy === undefined) throw new Error(`openOfflineWorkspace: ${root} is not one of the workspace's roots`);
        const dataDir = join(copy, '.terraform-workspace');
        const provider = args[0] === 'init' ? undefined : await providers.get(copy);
        const result = await runTerraform(setup, args, {
          cwd: copy,
          baseEnv: env,
          env: provider ? { TF_REATTACH_PROVIDERS: provider.reattach } : {},
          dataDir,
        });
        if (args[0] === 'init' && result.exitCode === 0 && !providers.has(copy)) {
          const started = startInstalledProvider(dataDir, env, copyRoot);
          // A failed start surfaces in the next command of the root, not as an unhandled rejection.
          started.catch(() => undefined);
          providers.set(copy, started);
        }
        if (result.exitCode !== 0 && !runOptions.allowFailure) {
          throw new Error(`offline workspace command failed:\n${describeRun(result)}`);
        }
        return result;
      },
      awsCalls: () => [...readServer.calls],
      scratchDir: copyRoot,
      async close() {
        const started = await Promise.allSettled(providers.values());
        for (const outcome of started) if (outcome.status === 'fulfilled') await outcome.value?.stop();
        await readServer.close();
        rmSync(copyRoot, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.close();
    rmSync(copyRoot, { recursive: true, force: true });
    throw error;
  }
}
