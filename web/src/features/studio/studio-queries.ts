import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request, seg } from '../../api/client.ts';
import type { Page } from '../../api/page.ts';
import { keys } from '../../api/query-keys.ts';
import type {
  Blueprint,
  BlueprintDiff,
  BuildAccepted,
  ChangeAccepted,
  ChatAnswer,
  Feature,
  JsonPatchOp,
  Snapshot,
  Template,
} from '../../api/studio-types.ts';

export function useTemplates() {
  return useQuery({
    queryKey: keys.templates,
    queryFn: () => api.get<Page<Template>>('/api/templates'),
    staleTime: Infinity,
  });
}

export function useBlueprints(slug: string) {
  return useQuery({
    queryKey: keys.blueprints(slug),
    queryFn: () => api.get<Page<Blueprint>>(`/api/projects/${seg(slug)}/blueprints`, { limit: 50 }),
  });
}

export function useBlueprint(id: string) {
  return useQuery({
    queryKey: keys.blueprint(id),
    queryFn: () => api.get<Blueprint>(`/api/blueprints/${seg(id)}`),
  });
}

/** Every snapshot, oldest first (a conversation rarely has more than a few pages). */
export function useSnapshots(id: string) {
  return useQuery({
    queryKey: keys.snapshots(id),
    queryFn: async () => {
      const all: Snapshot[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 20; i++) {
        const page = await api.get<Page<Snapshot>>(`/api/blueprints/${seg(id)}/snapshots`, {
          limit: 200,
          cursor,
        });
        all.push(...page.items);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return all;
    },
  });
}

export function useDiff(id: string, from: number, to: number, enabled: boolean) {
  return useQuery({
    queryKey: keys.diff(id, from, to),
    queryFn: () => api.get<BlueprintDiff>(`/api/blueprints/${seg(id)}/diff`, { from, to }),
    enabled,
    staleTime: Infinity,
  });
}

/**
 * Applies a JSON Patch to the version the user is looking at (`If-Match`): when someone else (or
 * the Architect) changed the Blueprint meanwhile the server answers 409 and nothing is applied.
 */
export function usePatchBlueprint(blueprint: Blueprint | undefined) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: JsonPatchOp[]) =>
      request<Blueprint>(`/api/blueprints/${seg(blueprint!.id)}`, {
        method: 'PATCH',
        body: patch,
        headers: { 'if-match': `"${blueprint!.version}"` },
      }),
    onSuccess: (updated) => {
      client.setQueryData(keys.blueprint(updated.id), updated);
      return client.invalidateQueries({ queryKey: keys.snapshots(updated.id) });
    },
  });
}

export function useSendMessage(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (content: string) => api.post<ChatAnswer>(`/api/blueprints/${seg(id)}/messages`, { content }),
    onSuccess: (answer) => {
      if ('mode' in answer && answer.mode === 'rules') {
        client.setQueryData(keys.blueprint(id), answer.blueprint);
        client.setQueryData<Snapshot[]>(keys.snapshots(id), (old) =>
          old && !old.some((s) => s.version === answer.snapshot.version) ? [...old, answer.snapshot] : old,
        );
        return client.invalidateQueries({ queryKey: keys.snapshots(id) });
      }
      return undefined;
    },
  });
}

export function useStartBuild(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (override: boolean) =>
      api.post<BuildAccepted>(`/api/blueprints/${seg(id)}/build`, override ? { override: true } : {}),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.blueprint(id) }),
  });
}

/** A change request to the built app: one `studio.build` operation, with a coding agent at its heart. */
export function useRequestChange(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: string) =>
      api.post<ChangeAccepted>(`/api/blueprints/${seg(id)}/changes`, { request }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.blueprint(id) }),
  });
}

/** Operation kinds that build a Blueprint (the landing prompt's and the Studio's "Build it"). */
export const BUILD_KINDS = new Set(['studio.build', 'studio.prompt']);

/** This Blueprint's builds, newest first: its own results, never another Blueprint's. */
export function useFeatures(id: string) {
  return useQuery({
    queryKey: keys.features(id),
    queryFn: () => api.get<Page<Feature>>(`/api/blueprints/${seg(id)}/features`, { limit: 50 }),
  });
}

/** What the Studio shows of a Blueprint's builds. */
export interface StudioBuilds {
  latestOperationId: string | null;
  /** The Blueprint version of the last build that finished (verified), else null. */
  builtVersion: number | null;
  /** The branches its builds deliver to. */
  branches: ReadonlySet<string>;
  /** One of its builds is merged: what main (and so staging) runs holds this Blueprint's app. */
  onMain: boolean;
  /** Its newest verified build whose merge request waits for a review: shown on its branch's preview. */
  awaitingReview: { branch: string; mergeRequestNumber: number } | null;
}

/** This Blueprint's builds (newest first) summed up: its own results, never another Blueprint's. */
export function buildsOf(features: Feature[] | undefined): StudioBuilds {
  const items = features ?? [];
  const done = items.find((f) => f.phase === 'done' && f.blueprintVersion !== null);
  const review = items.find(
    (f) => f.phase === 'done' && f.mergeRequestState === 'open' && f.branch && f.mergeRequestNumber !== null,
  );
  return {
    latestOperationId: items.find((f) => f.operationId)?.operationId ?? null,
    builtVersion: done?.blueprintVersion ?? null,
    branches: new Set(items.map((f) => f.branch).filter((b): b is string => Boolean(b))),
    onMain: items.some((f) => f.mergeRequestState === 'merged'),
    awaitingReview: review
      ? { branch: review.branch!, mergeRequestNumber: review.mergeRequestNumber! }
      : null,
  };
}

/**
 * Merges a build's merge request from the Studio (maintainers): main moves, its pipeline runs, and
 * the merged commit is released and verified on staging.
 */
export function useMergeBuild(slug: string, blueprintId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (number: number) =>
      api.post<{ number: number; mergeCommitSha: string | null }>(
        `/api/projects/${seg(slug)}/merge-requests/${number}/merge`,
        {},
      ),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: keys.features(blueprintId) });
      void client.invalidateQueries({ queryKey: keys.environments(slug) });
    },
  });
}
