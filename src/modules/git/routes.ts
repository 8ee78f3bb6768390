import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { browseRoutes } from './browse/browse-routes.ts';
import { secretScanRoutes } from './secret-scan/secret-scan-routes.ts';
import { type SmartHttpDeps, smartHttpRoutes } from './smart-http.ts';

/** Smart HTTP at /git/<slug>.git, the browse API and secret scanning's allow list under /api/projects/:slug. */
export function gitRoutes(res: Resources, deps: SmartHttpDeps) {
  const smart = smartHttpRoutes(res, deps);
  const browse = browseRoutes(res);
  const secretScan = secretScanRoutes(res);
  return async (app: HttpApp) => {
    await smart(app);
    await browse(app);
    await secretScan(app);
  };
}
