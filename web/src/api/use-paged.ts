import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Page } from './page.ts';

/**
 * A paged list (`{ items, nextCursor }`), 50 rows a page, further pages appended as asked;
 * `keepPreviousData` keeps the rows on screen while the filters in `query` change. Its key is `key`
 * then `query`, so invalidating `key` refreshes every filtered view of it. `P`: a page that carries
 * more than its rows (the inbox's `unreadCount`).
 */
export function usePaged<T, P extends Page<T> = Page<T>>(
  key: readonly unknown[],
  path: string,
  query: Record<string, string | undefined>,
) {
  return useInfiniteQuery({
    queryKey: [...key, query],
    queryFn: ({ pageParam }) => api.get<P>(path, { ...query, limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}
