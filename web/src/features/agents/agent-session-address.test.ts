import { describe, expect, it } from 'vitest';
import { citedSessionId, sessionOf } from './agent-session-address.ts';

const id = '0b9c6a52-1f0e-4a8b-9d3c-5e2f7a1b4c6d';

describe('agent session addresses', () => {
  it('finds the session an agent.session operation runs, and nothing for other kinds', () => {
    expect(sessionOf({ kind: 'agent.session', input: { sessionId: id, run: 2 }, projectSlug: 'shop' })).toBe(
      `/projects/shop/agent-sessions/${id}`,
    );
    expect(
      sessionOf({ kind: 'studio.build', input: { sessionId: id }, projectSlug: 'shop' }),
    ).toBeUndefined();
    expect(sessionOf({ kind: 'agent.session', input: null, projectSlug: 'shop' })).toBeUndefined();
  });

  it('reads the session a merge request description cites', () => {
    const text = `Added toCsv.\n\nMade by an Orchard agent session (llm-agent) — /agent-sessions/${id}.\n\nCloses #4.`;
    expect(citedSessionId(text)).toBe(id);
    expect(citedSessionId('See /agent-sessions/not-an-id')).toBeUndefined();
    expect(citedSessionId(null)).toBeUndefined();
  });
});
