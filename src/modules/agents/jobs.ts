import type { DbClient } from '../../platform/db/pool.ts';
import { defineStep, defineWorkflow, type Registry } from '../operations/index.ts';
import { announceEnded } from './issues/announce-session-outcome.ts';
import { RunSessionInput, runSessionStep } from './sessions/run-session.ts';
import type { AgentSessionDeps } from './sessions/session-deps.ts';
import { settleEndedSession } from './sessions/session-ended.ts';
import { tellSessionWaiting } from './sessions/session-waiting.ts';
import { AGENT_SESSION_KIND } from './sessions/start-agent-session.ts';

/** Queue of agent runs: workers can be dedicated to it (workers.queues) on scaled installs. */
export const AGENT_QUEUE = 'agents';

/**
 * `agent.session`: one run of an agent session (`run`). The step may run again after its worker
 * died (lease expiry): it resumes from the transcript, so it gets attempts to spare. A run that
 * ends without delivering tells the session's issue why, and its starter that the next move is theirs.
 */
export function registerAgentJobs(registry: Registry, deps: AgentSessionDeps): void {
  registry.add(
    defineWorkflow(
      AGENT_SESSION_KIND,
      RunSessionInput,
      (input) => [{ key: 'run', step: 'agent.run', input }],
      {
        onEnd: async (tx, ended) => {
          const settled = await settleEndedSession(tx, ended);
          if (!settled) return;
          const { session, run } = settled;
          await announceEnded(tx, session);
          await tellSessionWaiting(deps, tx as DbClient, session, run);
          await deps.revokeDelegation?.(session.id);
        },
      },
    ),
    defineStep<RunSessionInput>('agent.run', {
      queue: AGENT_QUEUE,
      retry: { maxAttempts: 5, baseMs: 500, maxMs: 5_000 },
      timeoutMs: 24 * 60 * 60_000,
      handler: (ctx) => runSessionStep(deps, ctx),
    }),
  );
}
