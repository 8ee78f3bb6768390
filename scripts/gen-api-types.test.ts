import { expect, it } from 'vitest';
import { apiTypesStaleness } from './gen-api-types.ts';

// The UI's types come from the routes' zod schemas: a route change without `npm run gen:api-types`
// would leave the UI compiling against shapes the server no longer sends.
it('web/src/api/openapi.gen.ts matches the OpenAPI document the routes produce', async () => {
  const stale = await apiTypesStaleness();
  if (stale) expect.fail(stale);
});
