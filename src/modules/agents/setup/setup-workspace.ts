/**
 * `setup` of `.orchard/agent.yml`, before a session's agent starts (each run has a fresh
 * worktree): the archive of an earlier setup with the same key is extracted when there is one,
 * else the commands run in the sandbox and what they made is archived for the next run. A failed
 * command stops the session (AgentSetupError) and nothing is cached.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../../../platform/db/pool.ts';
import { handOverToSandbox } from '../../../platform/sandbox/index.ts';
import { protectedBranchContaining } from '../../git/index.ts';
import type { Vault } from '../../secrets/index.ts';
import type { AgentWorkspace } from '../agent-runtime.ts';
import { plainEnv, secretRefs, underOrchard } from '../profile/profile-env.ts';
import type { SessionProfile } from '../profile/session-profile.ts';
import { setupKey } from '../profile/setup-cache.ts';
import { AgentSetupError } from './agent-setup-error.ts';
import { runSetupCommands, type SetupCommandEvent } from './run-setup-commands.ts';
import { archiveSetupOutputs, extractSetupArchive } from './setup-archive.ts';
import {
  branchScope,
  findSetupArchive,
  pruneSetupCache,
  SHARED_SCOPE,
  setupCacheDir,
  storeSetupArchive,
  touchSetupArchive,
} from './setup-cache-files.ts';
import { madeBySetup, untrackedPaths } from './setup-outputs.ts';
import { type SetupSandbox, sandboxBaseEnv } from './setup-sandbox.ts';
import { revealSetupSecrets } from './setup-secrets.ts';

/** How a run's setup went, as its transcript records it. */
export interface SetupOutcome {
  type: 'setup';
  outcome: 'restored' | 'ran' | 'failed';
  /** The setup key's first 12 hex digits. */
  key: string;
  commands: number;
  durationMs: number;
  /** After `ran`: whether what setup made was archived for the next run. */
  cached?: boolean;
  /** Top-level paths setup made (or the archive restored). */
  paths?: number;
}

/** Where a run's setup reports: the transcript and the operation's log. */
export interface SetupReport {
  /** A line for the operation's log only. */
  log(line: string, stream?: 'stdout' | 'stderr'): void;
  /** A line for the transcript and the operation's log. */
  note(line: string): Promise<void>;
  command(event: SetupCommandEvent): Promise<void>;
  outcome(outcome: SetupOutcome): Promise<void>;
}

export interface WorkspaceSetupInput {
  box: SetupSandbox;
  workspace: Pick<AgentWorkspace, 'dir' | 'gitDir'>;
  project: { id: string; slug: string };
  profile: SessionProfile;
  /** The commit the workspace holds: setup runs its code. */
  codeSha: string;
  branch: string;
  /** The run's private directory; setup works in `setup/` inside it, removed at the end. */
  scratch: string;
  signal: AbortSignal;
  report: SetupReport;
  /** For tests: one command's time limit. */
  commandTimeoutMs?: number;
}

export async function setUpWorkspace(
  deps: { db: Queryable; vault: Vault },
  input: WorkspaceSetupInput,
): Promise<void> {
  const { box, profile, report, signal } = input;
  const refs = secretRefs(profile.env);
  if (!profile.setup.length) {
    if (refs.length)
      await report.note(
        `.orchard/agent.yml env names secrets (${refs.map((r) => r.secret).join(', ')}) but no setup commands: secrets are given to setup only, so nothing gets them.`,
      );
    return;
  }
  const started = Date.now();
  const vouched = await protectedBranchContaining(box.repo, input.codeSha);
  const secrets = await revealSetupSecrets(deps, input.project, refs, { protectedAllowed: Boolean(vouched) });
  if (secrets.withheld.length)
    await report.note(
      `⚠ Withheld protected secret${secrets.withheld.length > 1 ? 's' : ''} ${secrets.withheld.join(', ')} from setup: it runs the code of ${input.codeSha.slice(0, 12)}, which is not on a protected branch (nobody reviewed it yet). Setup runs without ${secrets.withheld.length > 1 ? 'them' : 'it'}; a maintainer can unprotect a secret that unreviewed code may use.`,
    );
  const key = await setupKey(profile, input.workspace.dir);
  const short = key.slice(0, 12);
  const cacheDir = setupCacheDir(box.home, input.project.slug);
  // Unreviewed code reads the shared cache but writes only its branch's (see setup-cache-files.ts).
  const own = vouched ? SHARED_SCOPE : branchScope(input.branch);
  const scopes = vouched ? [SHARED_SCOPE] : [own, SHARED_SCOPE];
  const dir = path.join(input.scratch, 'setup');
  const outDir = path.join(dir, 'out');
  await rm(dir, { recursive: true, force: true });
  await Promise.all(['home', 'tmp', 'out'].map((d) => mkdir(path.join(dir, d), { recursive: true })));
  await handOverToSandbox(box.user, { own: [dir], root: box.home });
  try {
    const cached = await findSetupArchive(cacheDir, scopes, key);
    if (cached) {
      try {
        await handOverToSandbox(box.user, { reach: [cached], root: box.home });
        await extractSetupArchive(box, cached, { outDir, signal });
        await touchSetupArchive(cached);
        report.log(`▶ Setup restored from the cache (key ${short})`);
        await report.outcome({
          type: 'setup',
          outcome: 'restored',
          key: short,
          commands: profile.setup.length,
          durationMs: Date.now() - started,
        });
        return;
      } catch (error) {
        signal.throwIfAborted();
        await report.note(`Could not restore the setup cache (${(error as Error).message}); running setup.`);
      }
    }

    report.log(
      `▶ Setup: ${profile.setup.length} command${profile.setup.length > 1 ? 's' : ''} (key ${short})`,
    );
    const before = await untrackedPaths(input.workspace);
    const failed = await runSetupCommands({
      box,
      commands: profile.setup,
      env: underOrchard({ ...plainEnv(profile.env), ...secrets.env }, sandboxBaseEnv(dir)),
      secretValues: secrets.values,
      writable: [path.join(dir, 'home'), path.join(dir, 'tmp')],
      ...(input.commandTimeoutMs ? { timeoutMs: input.commandTimeoutMs } : {}),
      signal,
      onLine: (line) => report.log(line),
      onCommand: (event) => report.command(event),
    });
    if (failed) {
      await report.outcome({
        type: 'setup',
        outcome: 'failed',
        key: short,
        commands: profile.setup.length,
        durationMs: Date.now() - started,
      });
      throw new AgentSetupError(failed);
    }
    const made = madeBySetup(before, await untrackedPaths(input.workspace));
    const unignored = made.filter((p) => !p.ignored).map((p) => p.path);
    if (unignored.length)
      await report.note(
        `Setup made files git does not ignore (${unignored.slice(0, 10).join(', ')}${unignored.length > 10 ? ', …' : ''}): they will be committed with the agent's work unless .gitignore lists them.`,
      );
    const cachedNow = await archiveSetupOutputs(
      box,
      made.map((p) => p.path),
      { outDir, signal },
    )
      .then((archive) => storeSetupArchive(cacheDir, own, key, archive))
      .then(
        () => true,
        async (error: Error) => {
          signal.throwIfAborted();
          await report.note(`Setup succeeded, but its result could not be cached: ${error.message}`);
          return false;
        },
      );
    if (cachedNow) await pruneSetupCache(cacheDir).catch(() => []);
    await report.outcome({
      type: 'setup',
      outcome: 'ran',
      key: short,
      commands: profile.setup.length,
      durationMs: Date.now() - started,
      cached: cachedNow,
      paths: made.length,
    });
  } finally {
    // Setup's HOME may hold what its secrets wrote (an ~/.npmrc with a token): the agent never sees it.
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
