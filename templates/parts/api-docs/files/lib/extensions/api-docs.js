/**
 * An API service's own routes: `/` names the API and says where its documents are (indented, for
 * people), and `/openapi.json` is its OpenAPI 3.1 document (lib/openapi.js), built once at start.
 */
import { sendJson, sendReadableJson } from '../http.js';
import { openApiDocument } from '../openapi.js';

export function register(router, { site, models, customEndpoints }) {
  const document = openApiDocument({ site, models, customEndpoints });
  const about = {
    name: site.name,
    ...(site.summary ? { description: site.summary } : {}),
    docs: '/openapi.json',
    health: '/health',
    resources: models
      .filter((m) => m.routes.list || m.routes.create)
      .map((m) => ({ name: m.name, path: m.routes.list ?? m.routes.create, actions: m.actions })),
  };
  router.add('GET', '/', ({ res }) => sendReadableJson(res, 200, about));
  // Compact: the document is for tools (a browser's JSON viewer indents it for people).
  router.add('GET', '/openapi.json', ({ res }) =>
    sendJson(res, 200, document, { 'access-control-allow-origin': '*' }),
  );
}
