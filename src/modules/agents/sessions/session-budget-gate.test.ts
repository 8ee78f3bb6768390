import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/db.ts';
import { loadConfig } from '../../../config.ts';
import { SYSTEM_ACTOR } from '../../../platform/http/actor.ts';
import { createLogger } from '../../../platform/log.ts';
import { createMetrics } from '../../../platform/metrics.ts';
import { createLlmGateway, type LlmGateway } from '../../llm/index.ts';
import { createProject } from '../../projects/index.ts';
import { sessionBudgetGate } from './session-budget-gate.ts';
import { insertSession } from './session-store.ts';

let database: TestDatabase;
let projectId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  projectId = (await createProject(database.db, { actor: SYSTEM_ACTOR }, { name: 'Gate', slug: 'gate' })).id;
});
afterAll(() => database?.drop());

async function session(budget: { maxTokens?: number; maxCostUsd?: number }, status = 'running') {
  const row = await insertSession(database.db, {
    projectId,
    runtime: 'claude-code',
    model: 'coder',
    startedBy: null,
    title: 'Gate',
    instructions: '',
    context: {},
    budget,
    branch: `orchard/gate-${randomUUID()}`,
  });
  await database.db.query('UPDATE agent_sessions SET status = $2 WHERE id = $1', [row.id, status]);
  return row.id;
}

/** One proxied call booked to the session (its row waits in the recorder). */
function book(gateway: LlmGateway, agentSessionId: string, tokens: number) {
  gateway.passThrough.telemetry.recorder.add({
    callId: randomUUID(),
    attempt: 1,
    retryIndex: 0,
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    alias: null,
    outcome: 'ok',
    errorType: null,
    errorMessage: null,
    statusCode: null,
    finishReason: 'stop',
    resumeMode: null,
    fallbackFrom: null,
    ttftMs: 1,
    durationMs: 2,
    usage: { inputTokens: tokens, outputTokens: 0, cachedInputTokens: 0 },
    usageEstimated: false,
    costUsd: 0.01,
    context: { agentSessionId },
    startedAt: new Date(),
  });
}

describe("the proxy's budget gate for agent sessions", () => {
  it('lets a running session spend until its token budget, counting calls whose rows are not written yet', async () => {
    // Rows wait a minute here before they are written, unless flushed: the gate must not need them.
    const gateway = createLlmGateway({
      config: loadConfig({ env: {}, cwd: os.tmpdir() }),
      logger: createLogger({ level: 'silent' }),
      metrics: createMetrics({ defaultMetrics: false }),
      db: database.db,
      env: {},
      recorder: { lingerMs: 60_000 },
    });
    const reached: unknown[] = [];
    const gate = sessionBudgetGate({
      db: database.db,
      llm: gateway,
      onBudgetReached: async (r) => void reached.push(r),
    });
    const id = await session({ maxTokens: 1_000 });
    expect(await gate({ agentSessionId: id })).toEqual({ ok: true });
    book(gateway, id, 600);
    expect(await gate({ agentSessionId: id })).toEqual({ ok: true });
    book(gateway, id, 400);
    // Not in llm_calls yet (rows go out in batches), and still counted.
    const { rows } = await database.db.query(
      'SELECT count(*)::int AS n FROM llm_calls WHERE agent_session_id = $1',
      [id],
    );
    expect(rows[0].n).toBe(0);
    expect(reached).toEqual([]);
    const message = "The agent session's token budget is spent: 1000 of 1000 tokens.";
    expect(await gate({ agentSessionId: id })).toMatchObject({ ok: false, message });
    // Who should hear of it (notifications) is told, with the session and its project.
    expect(reached).toEqual([{ sessionId: id, projectId, startedBy: null, message }]);
    await gateway.flush();
    expect(await gate({ agentSessionId: id })).toMatchObject({ ok: false });
  });

  it('refuses a session that ended or does not exist, and leaves people alone', async () => {
    const gate = sessionBudgetGate({ db: database.db });
    const ended = await session({ maxTokens: 1_000 }, 'succeeded');
    expect(await gate({ agentSessionId: ended })).toEqual({
      ok: false,
      message: 'This agent session has ended (succeeded); its token spends nothing more.',
    });
    expect(await gate({ agentSessionId: randomUUID() })).toEqual({
      ok: false,
      message: 'This agent session no longer exists.',
    });
    expect(await gate({ agentSessionId: null })).toEqual({ ok: true });
  });
});
