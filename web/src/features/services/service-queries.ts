import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import type {
  AnalyticsStats,
  IntegrateStarted,
  MailMessage,
  MailSummary,
  ProjectService,
  ServiceId,
} from '../../api/service-types.ts';
import { usePaged } from '../../api/use-paged.ts';
import { useEventSource } from '../operations/live-events.ts';

const servicesPath = (slug: string) => `/api/projects/${seg(slug)}/services`;
const mailboxPath = (slug: string) => `/api/projects/${seg(slug)}/mailbox`;

export function useProjectServices(slug: string) {
  return useQuery({
    queryKey: keys.services(slug),
    queryFn: () => api.get<{ items: ProjectService[] }>(servicesPath(slug)),
  });
}

/** Attaches a service, or changes its settings (email: relay production's mail). */
export function useAttachService(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { id: ServiceId; relayProduction?: boolean }) =>
      api.post<ProjectService>(servicesPath(slug), body),
    onSettled: () => client.invalidateQueries({ queryKey: keys.services(slug) }),
  });
}

export function useDetachService(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: ServiceId) => api.delete(`${servicesPath(slug)}/${seg(id)}`),
    onSettled: () => client.invalidateQueries({ queryKey: keys.services(slug) }),
  });
}

/** Starts the operation that opens a merge request wiring the service into the app. */
export function useIntegrateService(slug: string) {
  return useMutation({
    mutationFn: (id: ServiceId) => api.post<IntegrateStarted>(`${servicesPath(slug)}/${seg(id)}/integrate`),
  });
}

export function useAnalytics(slug: string, env: string) {
  return useQuery({
    queryKey: keys.analytics(slug, env),
    queryFn: () =>
      api.get<AnalyticsStats>(`${servicesPath(slug)}/analytics/stats`, { env: env || undefined }),
    refetchInterval: 30_000,
  });
}

/** The mailbox, newest first, one page after another; kept live by the mailbox stream. */
export function useMailbox(slug: string, env: string) {
  const client = useQueryClient();
  const pages = usePaged<MailSummary>(keys.mailbox(slug), mailboxPath(slug), { env: env || undefined });
  const stream = useEventSource(
    `${mailboxPath(slug)}/stream${env ? `?env=${encodeURIComponent(env)}` : ''}`,
    { onMessage: () => void client.invalidateQueries({ queryKey: keys.mailbox(slug) }) },
    { event: 'mail' },
  );
  return { pages, stream };
}

export function useMailMessage(slug: string, id: string | undefined) {
  return useQuery({
    queryKey: keys.mailMessage(slug, id ?? ''),
    queryFn: () => api.get<MailMessage>(`${mailboxPath(slug)}/${seg(id!)}`),
    enabled: Boolean(id),
  });
}

export function useClearMailbox(slug: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (env: string) =>
      api.delete<{ deleted: number }>(`${mailboxPath(slug)}${env ? `?env=${encodeURIComponent(env)}` : ''}`),
    onSettled: () => client.invalidateQueries({ queryKey: keys.mailbox(slug) }),
  });
}
