import type { Actor } from '../../../platform/http/actor.ts';
import { requireEnvironment } from '../require-environment.ts';
import { attributeFilters, parseLogText } from './log-filters.ts';
import { searchLogs } from './search-logs.ts';
import { parseMinSeverity } from './severity.ts';
import { type TelemetryQueryDeps, telemetryBase } from './telemetry-deps.ts';
import type { LogSearchQuery } from './telemetry-schemas.ts';
import { resolveTimeRange } from './time-range.ts';

/** Log search of one environment (viewers): the query as the API takes it, each record linked to its trace. */
export async function readEnvironmentLogs(
  deps: TelemetryQueryDeps,
  actor: Actor,
  where: { slug: string; env: string },
  query: LogSearchQuery,
) {
  const { project, environment } = await requireEnvironment(deps.db, actor, where, 'viewer');
  const base = telemetryBase(project, environment);
  const range = resolveTimeRange(deps.clock.now(), query);
  const text = parseLogText(query.q);
  const attrs = query.attr === undefined ? [] : Array.isArray(query.attr) ? query.attr : [query.attr];
  const minSeverity = parseMinSeverity(query.severity);
  const page = await searchLogs(
    deps.db,
    {
      environmentId: environment.id,
      from: range.from,
      to: range.to,
      words: text.words,
      phrases: text.phrases,
      attributes: attributeFilters(attrs, text.attributes),
      ...(minSeverity !== undefined ? { minSeverity } : {}),
      ...(query.service ? { service: query.service } : {}),
      ...(query.traceId ? { traceId: query.traceId.toLowerCase() } : {}),
      ...(query.spanId ? { spanId: query.spanId.toLowerCase() } : {}),
    },
    { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) },
  );
  return {
    nextCursor: page.nextCursor,
    items: page.items.map((r) => ({ ...r, traceUrl: r.traceId ? `${base}/traces/${r.traceId}` : null })),
  };
}
