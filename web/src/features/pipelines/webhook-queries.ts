import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type { Webhook } from '../../api/pipeline-types.ts';
import { keys } from '../../api/query-keys.ts';

/** A project's webhooks (maintainers only: pass `enabled` false to others). */
export function useWebhooks(slug: string, enabled = true) {
  return useQuery({
    queryKey: keys.webhooks(slug),
    queryFn: () => api.get<{ items: Webhook[] }>(`/api/projects/${seg(slug)}/webhooks`),
    select: (page) => page.items,
    enabled,
  });
}
