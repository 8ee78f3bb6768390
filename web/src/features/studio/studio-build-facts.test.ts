import { describe, expect, it } from 'vitest';
import type { LiveArtifact, LiveLog } from '../operations/live-operation-state.ts';
import { buildFacts, buildResults } from './studio-build-facts.ts';

const log = (text: string): LiveLog => ({ id: text, step: 'plan', stream: 'stdout', text, at: '' });
let eventId = 0;
const artifact = (kind: string, name: string, data: Record<string, unknown>, url?: string): LiveArtifact => ({
  eventId: ++eventId,
  step: null,
  name,
  kind,
  url,
  at: '',
  data,
});

describe('buildFacts', () => {
  it('reads a change request and its fit from the operation input', () => {
    const facts = buildFacts({
      change: true,
      runtime: 'llm-agent',
      request: 'add CSV export',
      fit: { template: 'crud-app', confidence: 0.25, reason: 'It is a game.' },
    });
    expect(facts).toEqual({
      change: true,
      runtime: 'llm-agent',
      request: 'add CSV export',
      fit: { template: 'crud-app', confidence: 0.25, reason: 'It is a game.' },
    });
  });

  it("falls back to the plan step's log line for the template match", () => {
    const facts = buildFacts(null, [
      log('Planning'),
      log('Template match: crud-app, confidence 25 %. A game is not a CRUD app.'),
    ]);
    expect(facts).toEqual({
      change: false,
      runtime: undefined,
      request: undefined,
      fit: { template: 'crud-app', confidence: 0.25, reason: 'A game is not a CRUD app.' },
    });
  });
});

describe('buildResults', () => {
  it('collects the session, the preview, the verdict and the merge request', () => {
    const results = buildResults([
      artifact('agent-session', 'Change', { sessionId: 's-1' }, '/api/agent-sessions/s-1'),
      artifact('url', 'preview/orchard/x', {}, 'http://preview--app.localhost:4000/'),
      artifact('check', 'browser-verification', { status: 'success', summary: 'All 1 page(s) passed.' }),
      artifact('merge-request', '!2', { number: 2 }, '/api/projects/app/merge-requests/2'),
      artifact('plan', 'plan.md', {}, '/api/artifacts/plan.md'),
    ]);
    expect(results).toEqual({
      sessionId: 's-1',
      deployed: { name: 'preview/orchard/x', url: 'http://preview--app.localhost:4000/' },
      verification: { passed: true, summary: 'All 1 page(s) passed.' },
      mergeRequest: { name: '!2', path: '/projects/app/merge-requests/2' },
    });
  });
});
