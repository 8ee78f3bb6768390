import type { Answer } from './openapi-answer.ts';

/**
 * A paged list answer, `{ items, nextCursor }` (the server's `fetchPage`). Generic because the UI's
 * infinite lists share one shape; the envelope comes from a real paged route.
 */
export type Page<T> = Omit<Answer<'/api/projects', 'get'>, 'items'> & { items: T[] };
