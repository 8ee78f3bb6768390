import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/page.ts';
import type {
  LogRecord,
  MetricInfo,
  MetricSeries,
  TraceSummary,
  TraceView,
} from '../../api/telemetry-types.ts';
import { usePaged } from '../../api/use-paged.ts';
import { envPath } from '../environments/env-queries.ts';

type Query = Record<string, string | undefined>;
const telemetryPath = (slug: string, env: string) => `${envPath(slug, env)}/telemetry`;

/** An environment's log search, 100 records a page, newest first. */
export function useLogSearch(slug: string, env: string, query: Query, attrs: string[]) {
  return useInfiniteQuery({
    queryKey: ['telemetry', slug, env, 'logs', query, attrs],
    queryFn: ({ pageParam }) => {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...query, limit: '100', cursor: pageParam }))
        if (v) search.set(k, v);
      for (const a of attrs) search.append('attr', a);
      return api.get<Page<LogRecord>>(`${telemetryPath(slug, env)}/logs?${search}`);
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** An environment's traces, 50 a page, newest first. */
export const useTraces = (slug: string, env: string, query: Query) =>
  usePaged<TraceSummary>(['telemetry', slug, env, 'traces'], `${telemetryPath(slug, env)}/traces`, query);

export function useTrace(slug: string, env: string, traceId: string | null) {
  return useQuery({
    queryKey: ['telemetry', slug, env, 'trace', traceId],
    queryFn: () => api.get<TraceView>(`${telemetryPath(slug, env)}/traces/${traceId}`),
    enabled: !!traceId,
  });
}

export function useMetrics(slug: string, env: string, query: Query) {
  return useQuery({
    queryKey: ['telemetry', slug, env, 'metrics', query],
    queryFn: () => api.get<{ items: MetricInfo[] }>(`${telemetryPath(slug, env)}/metrics`, query),
  });
}

export function useMetricSeries(slug: string, env: string, query: Query & { name?: string }) {
  return useQuery({
    queryKey: ['telemetry', slug, env, 'series', query],
    queryFn: () => api.get<MetricSeries>(`${telemetryPath(slug, env)}/metrics/series`, query),
    enabled: !!query.name,
    placeholderData: keepPreviousData,
  });
}
