import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { browseRoutes } from './browse/browse-routes.ts';
import { type SmartHttpDeps, smartHttpRoutes } from './smart-http.ts';

/** Smart HTTP at /git/<slug>.git and the browse API under /api/projects/:slug. */
export function gitRoutes(res: Resources, deps: SmartHttpDeps) {
  const smart = smartHttpRoutes(res, deps);
  const browse = browseRoutes(res);
  return async (app: HttpApp) => {
    await smart(app);
    await browse(app);
  };
}
