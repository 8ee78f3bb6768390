import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertEvent, AlertRule, AlertRuleBody } from '../../api/alert-types.ts';
import { api, seg } from '../../api/client.ts';
import type { Page } from '../../api/page.ts';
import { keys } from '../../api/query-keys.ts';
import { envPath } from '../environments/env-queries.ts';

const rulePath = (slug: string, id: string) => `/api/projects/${seg(slug)}/alerts/${seg(id)}`;

/** An environment's rules; refreshed every 15 s, as the evaluator moves their states. */
export function useAlertRules(slug: string, env: string) {
  return useQuery({
    queryKey: keys.alertRules(slug, env),
    queryFn: () => api.get<{ items: AlertRule[] }>(`${envPath(slug, env)}/alerts`),
    refetchInterval: 15_000,
  });
}

export function useAlertEvents(slug: string, id: string) {
  return useQuery({
    queryKey: keys.alertEvents(slug, id),
    queryFn: () => api.get<Page<AlertEvent>>(`${rulePath(slug, id)}/events`),
  });
}

function useInvalidateRules(slug: string, env: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: keys.alertRules(slug, env) });
}

/** Creates a rule (no id) or replaces one. */
export function useSaveAlertRule(slug: string, env: string) {
  const invalidate = useInvalidateRules(slug, env);
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: AlertRuleBody }) =>
      id
        ? api.put<AlertRule>(rulePath(slug, id), body)
        : api.post<AlertRule>(`${envPath(slug, env)}/alerts`, body),
    onSuccess: invalidate,
  });
}

export function useDeleteAlertRule(slug: string, env: string) {
  const invalidate = useInvalidateRules(slug, env);
  return useMutation({
    mutationFn: (id: string) => api.delete(rulePath(slug, id)),
    onSettled: invalidate,
  });
}

/** Silences a rule until a time, or lifts its silence (`until: null`). */
export function useSilenceAlertRule(slug: string, env: string) {
  const invalidate = useInvalidateRules(slug, env);
  return useMutation({
    mutationFn: ({ id, until }: { id: string; until: string | null }) =>
      api.post<AlertRule>(`${rulePath(slug, id)}/silence`, { until }),
    onSettled: invalidate,
  });
}
