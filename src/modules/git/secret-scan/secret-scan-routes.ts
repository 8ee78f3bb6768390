import { contextOf } from '../../../platform/http/request-context.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import type { Resources } from '../../../platform/resources.ts';
import { AGENTS_CANNOT_ALLOW, allowFinding } from './allow-finding.ts';
import { listAllowedFindings } from './list-allowed-findings.ts';
import { revokeAllowedFinding } from './revoke-allowed-finding.ts';
import {
  AllowedFindingList,
  AllowedFindingParams,
  AllowedFindingView,
  AllowFindingBody,
  SecretScanParams,
} from './schemas.ts';

/** `/api/projects/:slug/secret-scanning/allowed`: the findings a push may hold (project owners). */
export function secretScanRoutes(res: Resources) {
  return async (app: HttpApp) => {
    const tags = ['repository'];
    const url = '/api/projects/:slug/secret-scanning/allowed';
    const config = { projectRole: 'owner', delegated: AGENTS_CANNOT_ALLOW } as const;
    app.get(
      url,
      {
        config: { projectRole: 'owner' },
        schema: { tags, params: SecretScanParams, response: { 200: AllowedFindingList } },
      },
      async (request) => listAllowedFindings(res.db, contextOf(request).actor, request.params.slug),
    );
    app.post(
      url,
      {
        config,
        schema: {
          tags,
          params: SecretScanParams,
          body: AllowFindingBody,
          response: { 201: AllowedFindingView },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await allowFinding(res.db, contextOf(request), request.params.slug, request.body)),
    );
    app.delete(
      `${url}/:fingerprint`,
      { config, schema: { tags, params: AllowedFindingParams } },
      async (request, reply) => {
        await revokeAllowedFinding(
          res.db,
          contextOf(request),
          request.params.slug,
          request.params.fingerprint,
        );
        return reply.status(204).send();
      },
    );
  };
}
