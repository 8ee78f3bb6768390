import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import { BranchParams, BranchProtectionBody, BranchProtectionView } from '../schemas.ts';
import { getBranchProtection } from './get-branch-protection.ts';
import { AGENTS_CANNOT_PROTECT, setBranchProtection } from './set-branch-protection.ts';

/** `GET|PUT /api/projects/:slug/branches/:branch/protection`: the checks a merge into it needs. */
export function protectionRoutes(res: Resources) {
  return async (app: HttpApp) => {
    const tags = ['repository'];
    const url = '/api/projects/:slug/branches/:branch/protection';
    app.get(
      url,
      { schema: { tags, params: BranchParams, response: { 200: BranchProtectionView } } },
      async (request) =>
        getBranchProtection(res.db, contextOf(request).actor, request.params.slug, request.params.branch),
    );
    app.put(
      url,
      {
        config: { projectRole: 'maintainer', delegated: AGENTS_CANNOT_PROTECT },
        schema: {
          tags,
          params: BranchParams,
          body: BranchProtectionBody,
          response: { 200: BranchProtectionView },
        },
      },
      async (request) =>
        setBranchProtection(
          res.db,
          contextOf(request),
          request.params.slug,
          request.params.branch,
          request.body,
        ),
    );
  };
}
