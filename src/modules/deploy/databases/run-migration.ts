import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  DEFAULT_PATH,
  handOverToSandbox,
  type Isolation,
  runSandboxed,
  type SandboxNetwork,
  type SandboxUser,
} from '../../../platform/sandbox/index.ts';
import { StreamMasker } from '../../secrets/index.ts';
import type { AppLog } from '../serve/app-log.ts';

export interface MigrationOptions {
  command: string;
  /** The release directory (read-only, as for the app). */
  workspace: string;
  /** The app's DATA_DIR (its HOME and TMPDIR inside, as for the app). */
  dataDir: string;
  env: Record<string, string>;
  secretValues: string[];
  /** Further paths bound read-only (the database relay's socket). */
  readOnly: string[];
  home: string;
  hidden: string[];
  user: SandboxUser;
  network: Exclude<SandboxNetwork, 'none'>;
  allowUnsandboxed: boolean;
  timeoutMs: number;
  log: AppLog;
  name: string;
  isolation?: Isolation;
}

/**
 * Runs a release's `migrate` command once in the app's own sandbox (same user, network, files and
 * environment), its output (secrets masked) in the environment's log. Resolves with why it
 * failed, or undefined when it exited 0.
 */
export async function runMigration(o: MigrationOptions): Promise<string | undefined> {
  const home = path.join(o.dataDir, '.home');
  const tmp = path.join(o.dataDir, '.tmp');
  await mkdir(home, { recursive: true });
  await mkdir(tmp, { recursive: true });
  await handOverToSandbox(o.user, { own: [o.dataDir], reach: [o.workspace, ...o.readOnly], root: o.home });
  const masker = { stdout: new StreamMasker(o.secretValues), stderr: new StreamMasker(o.secretValues) };
  const result = await runSandboxed({
    command: ['sh', '-ec', o.command],
    workspace: o.workspace,
    workspaceReadOnly: true,
    env: {
      LANG: 'C.UTF-8',
      NODE_ENV: 'production',
      ...o.env,
      PATH: DEFAULT_PATH,
      HOME: home,
      TMPDIR: tmp,
      DATA_DIR: o.dataDir,
    },
    network: o.network,
    user: o.user,
    allowUnsandboxed: o.allowUnsandboxed,
    writable: [o.dataDir],
    readOnly: o.readOnly,
    hidden: o.hidden,
    limits: { memoryBytes: 1024 ** 3, cpus: 1, pids: 512 },
    name: o.name,
    timeoutMs: o.timeoutMs,
    isolation: o.isolation,
    onStdout: (c) => o.log.write('stdout', masker.stdout.push(c.toString('utf8'))),
    onStderr: (c) => o.log.write('stderr', masker.stderr.push(c.toString('utf8'))),
  }).catch((error: Error) => ({ exitCode: null, timedOut: false, error: error.message }));
  o.log.write('stdout', masker.stdout.flush());
  o.log.write('stderr', masker.stderr.flush());
  o.log.flush();
  if ('error' in result && result.error) return `the migration could not run: ${result.error}`;
  if (result.timedOut)
    return `the migration did not finish within ${Math.round(o.timeoutMs / 1000)} s: ${o.command}`;
  if (result.exitCode !== 0)
    return `the migration failed (exit ${result.exitCode ?? 'killed'}): ${o.command}`;
  return undefined;
}
