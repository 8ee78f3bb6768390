import type { BlobStore } from '../../platform/blobs/index.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { browseRoutes } from './browse/browse-routes.ts';
import { lfsRoutes } from './lfs/lfs-routes.ts';
import { secretScanRoutes } from './secret-scan/secret-scan-routes.ts';
import { type SmartHttpDeps, smartHttpRoutes } from './smart-http.ts';

/**
 * Smart HTTP at /git/<slug>.git, Git LFS beside it (objects in the blob store), the browse API and
 * secret scanning's allow list under /api/projects/:slug.
 */
export function gitRoutes(res: Resources & { blobs: BlobStore }, deps: SmartHttpDeps) {
  const smart = smartHttpRoutes(res, deps);
  const lfs = lfsRoutes(res);
  const browse = browseRoutes(res);
  const secretScan = secretScanRoutes(res);
  return async (app: HttpApp) => {
    await smart(app);
    await lfs(app);
    await browse(app);
    await secretScan(app);
  };
}
