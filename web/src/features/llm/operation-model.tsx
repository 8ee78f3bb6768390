import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { LlmCall } from '../../api/llm-types.ts';
import type { Page } from '../../api/page.ts';
import { keys } from '../../api/query-keys.ts';
import { ModelBadge } from '../../widgets/model-badge.tsx';

/**
 * The model that last answered in an operation (an LLM Architect reply, an agent session): its
 * latest successful call, as the gateway recorded it. Nothing while it loads, or when no call was
 * recorded (a rule-based reply, a runtime whose calls bypass the gateway).
 */
export function OperationModel({
  slug,
  operationId,
  progress,
}: {
  slug: string;
  operationId: string;
  /** Changes while the operation still makes calls (a running session's steps): asks again. */
  progress?: string | number;
}) {
  const call = useQuery({
    queryKey: [...keys.llm, 'answered', operationId, progress],
    queryFn: () =>
      api.get<Page<LlmCall>>('/api/llm/calls', { project: slug, operationId, outcome: 'ok', limit: 1 }),
    select: (page) => page.items[0],
    staleTime: Infinity,
    retry: false,
  });
  if (!call.data) return null;
  return <ModelBadge alias={call.data.alias} provider={call.data.provider} model={call.data.model} />;
}
