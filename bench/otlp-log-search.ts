/**
 * Log search over one environment holding 1,000,000 OTLP log records (24 h of a small app: four
 * services, template-made bodies with ids in them, HTTP attributes, 60 % of records in a trace):
 * p50/p95 of Orchard's search (the same function the API calls) for four kinds of search, each
 * beside its peer measured in the same run — the same filters, newest first, same limit, with the
 * text matched by a plain `body ILIKE '%word%'` scan (attributes by `attributes::text ILIKE`).
 *
 * The peer runs in the same database over the same rows, so storage, cache and result shape are
 * the same and only the way of finding the text differs; grep over a file of the same lines would
 * compare another system (no time range, no ordering, the page cache of a flat file).
 *
 *   npm run bench:otlp-search            (embedded PostgreSQL, or DATABASE_URL's server)
 *   ROWS=200000 ITERATIONS=20 npm run bench:otlp-search
 */
import { randomUUID } from 'node:crypto';
import { type LogSearch, searchLogs } from '../src/modules/observability/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createPool, type Db } from '../src/platform/db/pool.ts';
import { benchPostgres, freshDatabase, percentile } from './queue-support.ts';

export interface SearchCase {
  kind: string;
  search: Omit<LogSearch, 'environmentId'>;
}

export interface CaseResult {
  kind: string;
  n: number;
  orchard: { p50: number; p95: number };
  ilike: { p50: number; p95: number };
}

const HOUR = 3_600_000;

/** Fills `environmentId` with `rows` records spread over the 24 h before `end` (one INSERT … generate_series). */
export async function fillLogs(db: Db, environmentId: string, rows: number, end: Date) {
  await db.query(
    `INSERT INTO otel_logs (environment_id, project_id, time, observed_time, severity_number, severity_text,
                            body, attributes, resource, service_name, trace_id, span_id)
     SELECT $1, $2, t, t, sev,
       CASE WHEN sev >= 21 THEN 'FATAL' WHEN sev >= 17 THEN 'ERROR' WHEN sev >= 13 THEN 'WARN'
            WHEN sev >= 9 THEN 'INFO' ELSE 'DEBUG' END,
       CASE tpl
         WHEN 0 THEN format('%s %s %s in %sms', meth, route, status, (r * 997)::int % 900 + 3)
         WHEN 1 THEN format('user u%s signed in from %s', uid, region)
         WHEN 2 THEN format('cache miss for key session:%s', substr(md5(g::text), 1, 12))
         WHEN 3 THEN format('payment failed for order %s: card declined', (r * 100000)::int)
         WHEN 4 THEN format('timeout calling inventory after %sms (attempt %s)', 1000 + (r * 4000)::int, g % 3 + 1)
         WHEN 5 THEN format('job %s finished: sent %s emails', substr(md5((g * 7)::text), 1, 8), g % 50)
         WHEN 6 THEN format('connection pool exhausted: %s waiting, max %s', g % 20, 10)
         ELSE format('rendered page %s for user u%s with %s items', route, uid, g % 40)
       END,
       jsonb_build_object('http.method', meth, 'http.route', route, 'http.status_code', status,
                          'user.id', 'u' || uid, 'region', region),
       jsonb_build_object('service.name', svc, 'host.name', 'pod-' || (g % 7)),
       svc,
       CASE WHEN g % 5 < 3 THEN md5('t' || (g / 4)::text) END,
       CASE WHEN g % 5 < 3 THEN substr(md5('s' || g::text), 1, 16) END
     FROM (
       SELECT *,
         -- Severity follows the template, as in an app's code: payments fail as errors, timeouts
         -- warn (one in ten an error), an exhausted pool is an error (one in twenty fatal).
         CASE tpl WHEN 3 THEN 17 WHEN 4 THEN CASE WHEN g % 10 = 0 THEN 17 ELSE 13 END
                  WHEN 6 THEN CASE WHEN g % 20 = 0 THEN 21 ELSE 17 END WHEN 2 THEN 5 ELSE 9 END AS sev
       FROM (SELECT g, r, t,
         -- Templates by weight: access 40 %, sign-in 10 %, cache 15 %, payment failed 2 %,
         -- timeout 3 %, job 10 %, pool exhausted 0.5 %, page 19.5 %.
         CASE WHEN w < 0.40 THEN 0 WHEN w < 0.50 THEN 1 WHEN w < 0.65 THEN 2 WHEN w < 0.67 THEN 3
              WHEN w < 0.70 THEN 4 WHEN w < 0.80 THEN 5 WHEN w < 0.805 THEN 6 ELSE 7 END AS tpl,
         (ARRAY['GET','GET','GET','POST','PUT','DELETE'])[1 + g % 6] AS meth,
         (ARRAY['/api/items','/api/items/:id','/api/orders','/api/users/:id','/health','/checkout'])[1 + (g / 6) % 6] AS route,
         (ARRAY[200,200,200,200,201,204,304,400,404,500])[1 + (g / 36) % 10] AS status,
         (g::bigint * 31) % 50000 AS uid,
         (ARRAY['eu-west','us-east','ap-south'])[1 + g % 3] AS region,
         (ARRAY['api','api','worker','web'])[1 + (g / 3) % 4] AS svc
       FROM (
         SELECT g, random() AS r, random() AS w,
           $4::timestamptz - make_interval(secs => ($3 - g) * 86400.0 / $3) AS t
         FROM generate_series(1, $3::int) g
       ) s) x
     ) y`,
    [environmentId, randomUUID(), rows, end.toISOString()],
  );
  await db.query('ANALYZE otel_logs');
}

/** The searches measured: words common and rare, with severities, attributes and time windows. */
export function searchCases(end: Date, iterations: number): SearchCase[] {
  const day = { from: new Date(end.getTime() - 24 * HOUR).toISOString(), to: end.toISOString() };
  const none = { words: [], phrases: [], attributes: [] };
  const pick = <T>(list: T[], i: number) => list[i % list.length]!;
  const words = [
    ['timeout'],
    ['declined'],
    ['exhausted'],
    ['inventory', 'attempt'],
    ['u4821'],
    ['emails', 'sent'],
    ['session'],
    ['u31337'],
    ['payment', 'order'],
  ];
  const phrases = [[], [], ['card declined'], [], ['waiting, max 10'], []];
  const attrs = [
    [{ key: 'user.id', value: 'u4821' }],
    [{ key: 'http.status_code', value: '500' }],
    [{ key: 'region', value: 'eu-west' }],
    [
      { key: 'http.route', value: '/checkout' },
      { key: 'http.status_code', value: '404' },
    ],
  ];
  const cases: SearchCase[] = [];
  for (let i = 0; i < iterations; i++) {
    cases.push({
      kind: 'text word',
      search: { ...day, ...none, words: pick(words, i), phrases: pick(phrases, i) },
    });
    cases.push({
      kind: 'text + severity',
      search: { ...day, ...none, words: pick(words, i + 3), minSeverity: pick([13, 17, 21], i) },
    });
    cases.push({ kind: 'attribute filter', search: { ...day, ...none, attributes: pick(attrs, i) } });
    const windowEnd = end.getTime() - ((i * 7919) % 23) * HOUR;
    const window = {
      from: new Date(windowEnd - 15 * 60_000).toISOString(),
      to: new Date(windowEnd).toISOString(),
    };
    cases.push({
      kind: 'time range',
      search: { ...window, ...none, ...(i % 2 ? { words: pick(words, i) } : {}) },
    });
  }
  return cases;
}

/** The peer: the same search, its text and attributes found by a plain ILIKE scan. */
async function ilikeSearch(db: Db, environmentId: string, s: SearchCase['search'], limit: number) {
  const params: unknown[] = [environmentId, s.from, s.to];
  const add = (v: unknown) => `$${params.push(v)}`;
  const like = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;
  const clauses = ['environment_id = $1', 'time >= $2::timestamptz', 'time < $3::timestamptz'];
  for (const w of [...s.words, ...s.phrases]) clauses.push(`body ILIKE ${add(like(w))}`);
  for (const a of s.attributes)
    clauses.push(
      `attributes::text ILIKE ${add(like(`"${a.key}": ${/^\d+$/.test(a.value) ? a.value : `"${a.value}"`}`))}`,
    );
  if (s.minSeverity !== undefined) clauses.push(`severity_number >= ${add(s.minSeverity)}`);
  const { rows } = await db.query(
    `SELECT time, body, attributes FROM otel_logs WHERE ${clauses.join(' AND ')} ORDER BY time DESC LIMIT ${limit}`,
    params,
  );
  return rows.length;
}

/** Fills a fresh database and measures every case, Orchard's search and its peer in turn. */
export async function benchOtlpLogSearch(
  options: { databaseUrl?: string; rows?: number; iterations?: number; limit?: number } = {},
) {
  const rows = options.rows ?? 1_000_000;
  const iterations = options.iterations ?? 40;
  const limit = options.limit ?? 100;
  const pg = await benchPostgres(options.databaseUrl);
  const database = await freshDatabase(pg.adminUrl, 'orchard_bench_otlp');
  const db = createPool(database.url, { max: 4 });
  try {
    await migrate(db);
    const environmentId = randomUUID();
    const end = new Date();
    let started = performance.now();
    await fillLogs(db, environmentId, rows, end);
    const fillSeconds = (performance.now() - started) / 1000;
    const cases = searchCases(end, iterations);
    const times = new Map<string, { orchard: number[]; ilike: number[] }>();
    // One warm-up pass of each, so both read from the same warm cache.
    for (const c of cases.slice(0, 8)) {
      await searchLogs(db, { environmentId, ...c.search }, { limit });
      await ilikeSearch(db, environmentId, c.search, limit + 1);
    }
    for (const c of cases) {
      const entry = times.get(c.kind) ?? { orchard: [], ilike: [] };
      times.set(c.kind, entry);
      started = performance.now();
      await searchLogs(db, { environmentId, ...c.search }, { limit });
      entry.orchard.push(performance.now() - started);
      started = performance.now();
      await ilikeSearch(db, environmentId, c.search, limit + 1);
      entry.ilike.push(performance.now() - started);
    }
    const stats = (xs: number[]) => ({ p50: percentile(xs, 50), p95: percentile(xs, 95) });
    const results: CaseResult[] = [...times].map(([kind, t]) => ({
      kind,
      n: t.orchard.length,
      orchard: stats(t.orchard),
      ilike: stats(t.ilike),
    }));
    const all = [...times.values()];
    const overall = {
      orchard: stats(all.flatMap((t) => t.orchard)),
      ilike: stats(all.flatMap((t) => t.ilike)),
    };
    return { rows, fillSeconds, postgres: pg.kind, limit, results, overall };
  } finally {
    await db.end();
    await database.drop();
    await pg.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchOtlpLogSearch({
    databaseUrl: process.env.DATABASE_URL,
    rows: process.env.ROWS ? Number(process.env.ROWS) : undefined,
    iterations: process.env.ITERATIONS ? Number(process.env.ITERATIONS) : undefined,
  });
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log(
    `${result.rows.toLocaleString('en')} log records filled in ${result.fillSeconds.toFixed(1)} s (${result.postgres}); pages of ${result.limit}, newest first`,
  );
  console.log('| search | n | Orchard p50 | Orchard p95 | ILIKE scan p50 | ILIKE scan p95 | p95 ratio |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of [
    ...result.results,
    { kind: 'all', n: result.results.reduce((a, r) => a + r.n, 0), ...result.overall },
  ])
    console.log(
      `| ${r.kind} | ${r.n} | ${ms(r.orchard.p50)} | ${ms(r.orchard.p95)} | ${ms(r.ilike.p50)} | ${ms(r.ilike.p95)} | ${(r.ilike.p95 / r.orchard.p95).toFixed(1)}× |`,
    );
  process.exit(0);
}
