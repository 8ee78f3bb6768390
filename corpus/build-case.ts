/**
 * One corpus case through a running Orchard, as a person would drive it over the API: a project,
 * a Blueprint set to the case's content, a build (scaffold, the app's tests in the pipeline, the
 * branch's preview deployed and checked in Chromium, merged, staging released and checked again),
 * followed on its event stream to the end. A failure is reported with the step that failed and a
 * cause that groups alike failures together.
 */
import { readSse } from '../src/platform/http/sse-reader.ts';
import type { CorpusCase } from './corpus-blueprints.ts';

export interface CaseResult {
  id: string;
  ok: boolean;
  ms: number;
  /** The failed step (`implement`, `test`, `verify`, …) or where the API refused. */
  step?: string;
  /** The first line of the error, with numbers, ids and paths blurred so alike failures group. */
  cause?: string;
  /** The error as reported, for the log. */
  detail?: string;
  operationId?: string;
}

export interface OrchardClient {
  base: string;
  token: string;
}

class ApiRefusal extends Error {
  constructor(
    readonly step: string,
    message: string,
  ) {
    super(message);
  }
}

async function api<T>(orchard: OrchardClient, step: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${orchard.base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${orchard.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new ApiRefusal(step, `${method} ${url}: ${res.status} ${text.slice(0, 600)}`);
  return JSON.parse(text) as T;
}

/** Blurs what differs between alike failures: numbers, hex ids, paths, quoted names. */
export function causeOf(message: string): string {
  return (
    (message.split('\n').find((line) => line.trim()) ?? message)
      .trim()
      .replace(/\/[\w./@+-]+/g, '<path>')
      // Ids and commit shas (7 hex digits or more, at least one a digit).
      .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{7,}(-[0-9a-f]{4,})*\b/gi, '<id>')
      .replace(/\d+(\.\d+)?/g, 'N')
      .replace(/"[^"]{1,80}"|'[^']{1,80}'/g, '"…"')
      .slice(0, 160)
  );
}

interface StepRow {
  key: string;
  step: string;
  status: string;
  error: { message?: string } | null;
}

export async function buildCase(
  orchard: OrchardClient,
  c: CorpusCase,
  options: { deadlineMs?: number } = {},
): Promise<CaseResult> {
  const started = performance.now();
  const done = (r: Omit<CaseResult, 'id' | 'ms'>): CaseResult => ({
    id: c.id,
    ms: Math.round(performance.now() - started),
    ...r,
  });
  try {
    const project = await api<{ slug: string }>(orchard, 'project', 'POST', '/api/projects', {
      name: `Corpus ${c.id}`,
    });
    const blueprint = await api<{ id: string }>(
      orchard,
      'blueprint',
      'POST',
      `/api/projects/${project.slug}/blueprints`,
      { title: c.blueprint.feature.slice(0, 120) || c.id, template: c.template },
    );
    const { blueprint: bp } = c;
    await api(orchard, 'blueprint', 'PATCH', `/api/blueprints/${blueprint.id}`, [
      { op: 'replace', path: '/feature', value: bp.feature },
      { op: 'replace', path: '/summary', value: bp.summary },
      { op: 'replace', path: '/sections', value: bp.sections },
      { op: 'replace', path: '/userStories', value: bp.userStories },
      { op: 'replace', path: '/assumptions', value: bp.assumptions },
      { op: 'replace', path: '/openQuestions', value: bp.openQuestions },
    ]);
    const build = await api<{ operationId: string; eventsUrl: string }>(
      orchard,
      'build',
      'POST',
      `/api/blueprints/${blueprint.id}/build`,
      {},
    );
    const status = await followToEnd(orchard, build.eventsUrl, options.deadlineMs ?? 600_000);
    if (status === 'succeeded') return done({ ok: true, operationId: build.operationId });
    const detail = await api<{ error: { message?: string } | null; steps: StepRow[] }>(
      orchard,
      'operation',
      'GET',
      `/api/operations/${build.operationId}`,
    );
    const failed = detail.steps.find((s) => s.status === 'failed' && s.error?.message);
    const message = failed?.error?.message ?? detail.error?.message ?? `the build ended ${status}`;
    return done({
      ok: false,
      operationId: build.operationId,
      step: failed?.step ?? status,
      cause: causeOf(message),
      detail: message.slice(0, 2000),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return done({
      ok: false,
      step: error instanceof ApiRefusal ? error.step : 'runner',
      cause: causeOf(message),
      detail: message.slice(0, 2000),
    });
  }
}

/** Reads the operation's events until `complete`; resolves with its status. */
async function followToEnd(orchard: OrchardClient, eventsUrl: string, deadlineMs: number): Promise<string> {
  const abort = AbortSignal.timeout(deadlineMs);
  const response = await fetch(`${orchard.base}${eventsUrl}`, {
    headers: { authorization: `Bearer ${orchard.token}`, accept: 'text/event-stream' },
    signal: abort,
  });
  if (!response.ok || !response.body) throw new ApiRefusal('events', `events: ${response.status}`);
  for await (const message of readSse(response.body)) {
    const event = JSON.parse(message.data) as { type: string; data: { status?: string } };
    if (event.type === 'complete') return event.data.status ?? 'unknown';
  }
  throw new ApiRefusal('events', 'the event stream ended before the build completed');
}

/** Runs the cases `concurrency` at a time, in order of start, reporting each as it ends. */
export async function buildCases(
  orchard: OrchardClient,
  cases: readonly CorpusCase[],
  options: { concurrency: number; deadlineMs?: number; onResult?: (r: CaseResult, c: CorpusCase) => void },
): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const lane = async () => {
    while (next < cases.length) {
      const index = next++;
      const c = cases[index]!;
      const result = await buildCase(orchard, c, { deadlineMs: options.deadlineMs });
      results[index] = result;
      options.onResult?.(result, c);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, lane));
  return results;
}

/** The report: pass rate, failures grouped by step and cause, the median time. */
export function summarize(results: readonly CaseResult[]): string {
  const passed = results.filter((r) => r.ok).length;
  const times = results.map((r) => r.ms).sort((a, b) => a - b);
  const median = times.length ? times[Math.floor(times.length / 2)]! : 0;
  const groups = new Map<string, CaseResult[]>();
  for (const r of results.filter((x) => !x.ok)) {
    const key = `${r.step}: ${r.cause}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines = [
    `passed ${passed}/${results.length} (${((100 * passed) / Math.max(1, results.length)).toFixed(1)}%), median ${(median / 1000).toFixed(1)} s per build`,
  ];
  for (const [key, rs] of [...groups].sort((a, b) => b[1].length - a[1].length))
    lines.push(`  ${rs.length} × ${key}\n      ${rs.map((r) => r.id).join(', ')}`);
  return lines.join('\n');
}
