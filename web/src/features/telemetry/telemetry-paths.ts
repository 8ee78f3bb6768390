import { to } from '../projects/project-paths.ts';

/** Addresses of an environment's telemetry views. */
const telemetryPage = (slug: string, env: string) => to.environmentView(slug, env, 'telemetry');

export const traceLink = (slug: string, env: string, traceId: string) =>
  `${telemetryPage(slug, env)}?tab=traces&trace=${traceId}`;

export const spanLogsLink = (slug: string, env: string, traceId: string, spanId: string) =>
  `${telemetryPage(slug, env)}?tab=logs&traceId=${traceId}&spanId=${spanId}`;

/** The windows a telemetry view offers, ending now. */
export const RANGES = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
} as const;
export type RangeKey = keyof typeof RANGES;

/** `from`/`to` of a window ending at `now` (fixed when the view is refreshed, so pages agree). */
export const rangeQuery = (range: RangeKey, now: number) => ({
  from: new Date(now - RANGES[range]).toISOString(),
  to: new Date(now + 1000).toISOString(),
});
