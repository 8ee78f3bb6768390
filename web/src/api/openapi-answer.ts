import type { paths } from './openapi.gen.ts';

/** Every path of the API, as `/api/projects/{slug}` (the generated `paths` keys). */
export type ApiPath = keyof paths;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** The methods `P` answers (the generated types mark the others `never`). */
export type MethodOf<P extends ApiPath> = {
  [M in Method]-?: [NonNullable<paths[P][M]>] extends [never] ? never : M;
}[Method];
type Operation<P extends ApiPath, M extends MethodOf<P>> = NonNullable<paths[P][M]>;
type Responses<P extends ApiPath, M extends MethodOf<P>> = Operation<P, M>['responses'];

/** The JSON `M P` answers with status `S` (200 unless given). */
export type Answer<
  P extends ApiPath,
  M extends MethodOf<P>,
  S extends keyof Responses<P, M> = Extract<200, keyof Responses<P, M>>,
> = Responses<P, M>[S] extends { content: { 'application/json': infer T } } ? T : never;

/** The JSON body `M P` accepts. */
export type RequestBody<P extends ApiPath, M extends MethodOf<P>> =
  NonNullable<Operation<P, M>['requestBody']> extends { content: { 'application/json': infer T } }
    ? T
    : never;

/** The query string `M P` accepts. */
export type QueryOf<P extends ApiPath, M extends MethodOf<P>> = NonNullable<
  Operation<P, M>['parameters']['query']
>;

/** One item of a paged answer (`{ items, nextCursor }`). */
export type ItemOf<T extends { items: readonly unknown[] }> = T['items'][number];
