import type { Params } from './router.tsx';

/** What every page of routes.tsx is given: the `:param`s of its path. */
export interface PageProps {
  params: Params;
}
