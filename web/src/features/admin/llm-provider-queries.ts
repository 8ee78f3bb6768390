import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LlmProvider, LlmProviders } from '../../api/admin-types.ts';
import { api, seg } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import type { ProviderFormValue } from './provider-form.tsx';

/** The providers (config and API), their breakers, and the aliases' chains. */
export const useLlmProviders = () =>
  useQuery({ queryKey: keys.llmProviders, queryFn: () => api.get<LlmProviders>('/api/llm/providers') });

function useProvidersChanged() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: keys.llmProviders });
}

export function useAddProvider() {
  const changed = useProvidersChanged();
  return useMutation({
    mutationFn: (value: ProviderFormValue) => api.post<LlmProvider>('/api/llm/providers', value),
    onSuccess: changed,
  });
}

export function useEditProvider() {
  const changed = useProvidersChanged();
  return useMutation({
    mutationFn: ({ name: _, ...patch }: ProviderFormValue) =>
      api.patch<LlmProvider>(`/api/llm/providers/${seg(_)}`, patch),
    onSuccess: changed,
  });
}

export function useRemoveProvider() {
  const changed = useProvidersChanged();
  return useMutation({
    mutationFn: (name: string) => api.delete(`/api/llm/providers/${seg(name)}`),
    onSuccess: changed,
  });
}
