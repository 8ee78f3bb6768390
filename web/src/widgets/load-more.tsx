import type { ReactNode } from 'react';
import { Button } from './button.tsx';

/** What LoadMore needs of a paged list (TanStack Query's infinite query result has it). */
export interface NextPages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** The foot of a paged list in a flush card: fetches the next page while there is one. */
export function LoadMore({ pages, children = 'Load more' }: { pages: NextPages; children?: ReactNode }) {
  if (!pages.hasNextPage) return null;
  return (
    <div className="border-t border-slate-100 px-5 py-3">
      <Button variant="ghost" size="sm" busy={pages.isFetchingNextPage} onClick={() => pages.fetchNextPage()}>
        {children}
      </Button>
    </div>
  );
}
