import type { TestApp } from '../../../../test/app.ts';
import { until } from '../../../../test/support/until.ts';

/** Polls the session's API view until it has ended (succeeded, failed or cancelled); returns that view. */
export function untilSessionEnded(
  t: TestApp,
  headers: Record<string, string>,
  id: string,
  timeoutMs = 60_000,
) {
  return until(
    async () => {
      const s = (await t.http.inject({ method: 'GET', url: `/api/agent-sessions/${id}`, headers })).json();
      return ['succeeded', 'failed', 'cancelled'].includes(s.status) ? s : undefined;
    },
    timeoutMs,
    `session ${id} to end`,
    100,
  );
}
