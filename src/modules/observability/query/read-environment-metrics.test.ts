import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { createProjectAs } from '../../../../test/git.ts';
import { insertEnvironment, insertMetricPoints, type MetricFixture } from '../telemetry.test-support.ts';

let t: TestApp;
let token: string;
const slug = 'metering';
// A whole minute ten minutes ago: buckets of 60 s line up with it.
const from = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);
const at = (s: number) => new Date(from.getTime() + s * 1000);
const range = `from=${from.toISOString()}&to=${at(180).toISOString()}&step=60`;

beforeAll(async () => {
  t = await createTestApp();
  token = (await t.user('admin')).token;
  await createProjectAs(t, token, slug);
  const projectId = (await t.res.db.query<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [slug]))
    .rows[0]!.id;
  const scope = { projectId, environmentId: await insertEnvironment(t.res.db, projectId, 'staging') };
  const points: MetricFixture[] = [];
  // A gauge in two regions, every 20 s for 3 minutes.
  for (let s = 0; s < 180; s += 20)
    for (const [region, base] of [
      ['eu', 10],
      ['us', 100],
    ] as const)
      points.push({
        name: 'queue.depth',
        kind: 'gauge',
        unit: '{jobs}',
        time: at(s),
        value: base + s / 20,
        attributes: { region },
      });
  // A cumulative counter started long ago: +6 every 10 s (0.6/s), restarting at 120 s.
  const started = new Date(from.getTime() - 3_600_000);
  let value = 1000;
  let startTime = started;
  for (let s = -10; s < 180; s += 10) {
    const restart = s === 120;
    if (restart) startTime = at(115);
    value = restart ? 6 : value + 6;
    points.push({ name: 'http.requests', kind: 'sum', unit: '{request}', time: at(s), value, startTime });
  }
  // A cumulative histogram: each 30 s adds 10 values ≤ 0.1 s and 10 in (0.1, 1] s, 0 above.
  for (let s = 0, n = 1; s < 180; s += 30, n++)
    points.push({
      name: 'http.duration',
      kind: 'histogram',
      unit: 's',
      time: at(s),
      startTime: started,
      bucketCounts: [100 + 10 * n, 100 + 10 * n, 0],
      explicitBounds: [0.1, 1],
    });
  await insertMetricPoints(t.res.db, scope, points);
});
afterAll(async () => t?.close());

const get = async (path: string) =>
  t.http.inject({
    url: `/api/projects/${slug}/environments/staging/telemetry${path}`,
    headers: bearer(token),
  });
const series = async (query: string) => {
  const r = await get(`/metrics/series?${query}&${range}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

describe('metrics of an environment', () => {
  it('lists metric names with kind, unit and what each can be aggregated by', async () => {
    const r = await get(`/metrics?from=${from.toISOString()}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(
      r
        .json()
        .items.map((m: { name: string; kind: string; unit: string; aggregations: string[] }) => [
          m.name,
          m.kind,
          m.unit,
          m.aggregations[0],
        ]),
    ).toEqual([
      ['http.duration', 'histogram', 's', 'p95'],
      ['http.requests', 'sum', '{request}', 'rate'],
      ['queue.depth', 'gauge', '{jobs}', 'avg'],
    ]);
  });

  it('buckets a gauge by avg, max and last, one line per attribute value', async () => {
    const avg = await series('name=queue.depth&groupBy=region');
    expect(avg.series.map((s: { group: string }) => s.group)).toEqual(['eu', 'us']);
    // eu: values 10..18 at s=0..160; bucket 0 holds s=0,20,40 → 10,11,12.
    expect(avg.series[0].points.map((p: { v: number }) => p.v)).toEqual([11, 14, 17]);
    const max = await series('name=queue.depth&aggregation=max');
    expect(max.series).toHaveLength(1);
    expect(max.series[0].points.map((p: { v: number }) => p.v)).toEqual([102, 105, 108]);
    const last = await series('name=queue.depth&aggregation=last&groupBy=region');
    expect(last.series[1].points.map((p: { v: number }) => p.v)).toEqual([102, 105, 108]);
  });

  it("gives a counter's rate and delta per bucket, through a restart", async () => {
    const rate = await series('name=http.requests');
    expect(rate.aggregation).toBe('rate');
    // 6 points of +6 per minute = 36/60 s; the restart at 120 s counts its 6 as the increase.
    expect(rate.series[0].points.map((p: { v: number }) => p.v)).toEqual([0.6, 0.6, 0.6]);
    const delta = await series('name=http.requests&aggregation=delta');
    expect(delta.series[0].points.map((p: { v: number }) => p.v)).toEqual([36, 36, 36]);
  });

  it('gives quantiles of a histogram from its bucket increases', async () => {
    const p50 = await series('name=http.duration&aggregation=p50');
    // Bucket 0 sees one increase (s=30; s=0 is the series' history): 10 ≤ 0.1 and 10 in (0.1, 1].
    expect(p50.series[0].points[0].v).toBeCloseTo(0.1, 5);
    const p95 = await series('name=http.duration&aggregation=p95');
    expect(p95.series[0].points[1].v).toBeCloseTo(0.1 + 0.9 * 0.9, 5);
  });

  it('refuses aggregations a kind does not take, too many buckets, and unknown metrics', async () => {
    const wrong = await get(`/metrics/series?name=queue.depth&aggregation=rate&${range}`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().detail).toMatch(/avg, min, max, sum, last/);
    const tiny = await get(
      `/metrics/series?name=queue.depth&step=1&from=${from.toISOString()}&to=${at(86_400).toISOString()}`,
    );
    expect(tiny.statusCode).toBe(400);
    expect(tiny.json().detail).toMatch(/larger step/);
    expect((await get(`/metrics/series?name=nope&${range}`)).statusCode).toBe(404);
    expect((await get(`/metrics/series?name=queue.depth&aggregation=p42&${range}`)).statusCode).toBe(400);
  });
});
