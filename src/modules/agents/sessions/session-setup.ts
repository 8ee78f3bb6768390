/**
 * A session run's setup (see setup/setup-workspace.ts), reported where the session's readers
 * look: setup commands as `command` entries marked `setup` (their output masked), how setup went
 * as a `setup` status entry, notes as `log` entries, and progress in the operation's log. A failed
 * setup ends the session with stop reason `setup` and the reason in its error.
 */

import { NonRetryableError, type StepContext } from '../../operations/index.ts';
import { type ProjectRow, projectSandboxUser } from '../../projects/index.ts';
import type { AgentWorkspace } from '../agent-runtime.ts';
import type { CommandNetwork } from '../egress/run-with-egress.ts';
import { AgentSetupError } from '../setup/agent-setup-error.ts';
import { type SetupReport, setUpWorkspace } from '../setup/setup-workspace.ts';
import type { AgentSessionDeps } from './session-deps.ts';
import { toEntry } from './session-entries.ts';
import { appendEntries, type SessionRow } from './session-store.ts';

export interface SessionSetupInput {
  session: SessionRow;
  project: ProjectRow;
  run: number;
  workspace: AgentWorkspace;
  repo: string;
  scratch: string;
  /** The commit the workspace holds (the checkpoint restored, else the base). */
  codeSha: string;
  /** What the agent's own commands get (network.allow), undefined for none. */
  egress: CommandNetwork | undefined;
  /** Ends the session when setup fails (before the step gives up). */
  settle(reason: 'setup', message: string): Promise<void>;
}

/** Runs the session's setup; returns how long it took (which the agent's wall budget does not count). */
export async function runSessionSetup(
  deps: AgentSessionDeps,
  ctx: StepContext<unknown>,
  input: SessionSetupInput,
): Promise<number> {
  const { session, run } = input;
  const profile = session.context?.profile;
  if (!profile || session.runtime === 'scaffold') return 0;
  const started = Date.now();
  let blobs = 0;
  const append = (kind: 'log' | 'status', data: Record<string, unknown>) =>
    appendEntries(deps.db, session.id, run, [{ kind, data }]);
  const report: SetupReport = {
    log: (line, stream) => ctx.log(line, stream),
    note: async (line) => {
      ctx.log(line);
      await append('log', { type: 'log', line });
    },
    command: async (event) => {
      const entry = await toEntry(
        event,
        {
          blobs: deps.blobs,
          key: () => `agent-sessions/${session.id}/${run}-${ctx.attempt}-setup-${++blobs}.json`,
        },
        { setup: true },
      );
      await appendEntries(deps.db, session.id, run, [entry]);
      ctx.log(`$ ${event.command} → ${event.exitCode ?? 'killed'}`);
    },
    outcome: async (outcome) => {
      await append('status', { ...outcome });
    },
  };
  try {
    await setUpWorkspace(deps, {
      box: {
        workspace: input.workspace.dir,
        repo: input.repo,
        home: deps.config.home,
        user: projectSandboxUser(input.project, deps.config.sandbox.uidBase),
        allowUnsandboxed: deps.config.sandbox.allowUnsandboxed,
        egress: input.egress,
      },
      workspace: input.workspace,
      project: input.project,
      profile,
      codeSha: input.codeSha,
      branch: session.branch,
      scratch: input.scratch,
      signal: ctx.signal,
      report,
    });
  } catch (error) {
    if (!(error instanceof AgentSetupError)) throw error;
    ctx.log(error.message, 'stderr');
    await input.settle('setup', error.message);
    throw new NonRetryableError(error.message);
  }
  return Date.now() - started;
}
