import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, CSRF_COOKIE, errorFromResponse, readCookie, request, seg } from '../../api/client.ts';
import type { Page } from '../../api/page.ts';
import { keys } from '../../api/query-keys.ts';
import type { Blueprint, DesignReference } from '../../api/studio-types.ts';

/** A Blueprint's design references, newest first. */
export function useReferences(blueprintId: string) {
  return useQuery({
    queryKey: keys.references(blueprintId),
    queryFn: () =>
      api.get<Page<DesignReference>>(`/api/blueprints/${seg(blueprintId)}/references`, { limit: 50 }),
  });
}

/** Sends an image as the request body, with its own content type (the API reads PNG, JPEG and WebP). */
async function postImage<T>(path: string, file: File): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    'content-type': file.type || 'application/octet-stream',
  };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers, body: file, credentials: 'same-origin' });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'Cannot reach the Orchard server. Check that it is running and retry.',
    );
  }
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as T;
}

/** Captures a page (`{url}`) or reads an uploaded image; the Blueprint changes only when its tokens are applied. */
export function useAddReference(blueprintId: string) {
  const client = useQueryClient();
  const path = `/api/blueprints/${seg(blueprintId)}/references`;
  return useMutation({
    mutationFn: (input: { url: string } | { file: File }) =>
      'url' in input
        ? api.post<DesignReference>(path, { url: input.url })
        : postImage<DesignReference>(path, input.file),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.references(blueprintId) }),
  });
}

/**
 * Applies a reference's proposed tokens to the version on screen (`If-Match`); the server records
 * the reference as the edit's source in the history.
 */
export function useApplyReference(blueprint: Blueprint) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (reference: DesignReference) =>
      request<Blueprint>(reference.proposal.applyUrl, {
        method: 'PATCH',
        body: reference.proposal.patch,
        headers: { 'if-match': `"${blueprint.version}"` },
      }),
    onSuccess: (updated) => {
      client.setQueryData(keys.blueprint(updated.id), updated);
      void client.invalidateQueries({ queryKey: keys.references(updated.id) });
      return client.invalidateQueries({ queryKey: keys.snapshots(updated.id) });
    },
  });
}
