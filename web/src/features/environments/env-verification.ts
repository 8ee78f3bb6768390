import { useQuery } from '@tanstack/react-query';
import { api, seg } from '../../api/client.ts';
import type { OperationEvent } from '../../api/operation-types.ts';
import type { Page } from '../../api/page.ts';
import { keys } from '../../api/query-keys.ts';
import {
  applyOperationEvent,
  emptyLiveOperation,
  type LiveArtifact,
} from '../operations/live-operation-state.ts';

const PAGE = 1000;
/** An operation with more events than this is summarised from its first pages only. */
const MAX_PAGES = 20;

/**
 * The artifacts (screenshots, HARs, traces) an operation recorded, read from its event log — for
 * a release's verification, which finished long ago and needs no live stream.
 */
export function useOperationArtifacts(operationId: string | null | undefined) {
  return useQuery({
    queryKey: keys.artifacts(operationId ?? ''),
    enabled: Boolean(operationId),
    staleTime: 60_000,
    queryFn: async (): Promise<LiveArtifact[]> => {
      let state = emptyLiveOperation();
      let after = 0;
      for (let i = 0; i < MAX_PAGES; i++) {
        const page = await api.get<Page<OperationEvent>>(`/api/operations/${seg(operationId!)}/events`, {
          after,
          limit: PAGE,
        });
        for (const event of page.items)
          if (event.type === 'artifact') state = applyOperationEvent(state, event);
        const last = page.items[page.items.length - 1];
        if (!page.nextCursor || !last) break;
        after = last.id;
      }
      return state.artifacts;
    },
  });
}
