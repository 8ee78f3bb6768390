/**
 * The JSON API: the standard endpoints each model lists in `routes`, its counters
 * (`POST /api/photos/:id/like`), and the custom endpoints in app/custom-endpoints.js.
 */
import { HttpError, readBody, sendJson } from './http.js';

/** A handler for a custom endpoint nobody has written yet: it answers 501 and says what it is for. */
export function notImplemented(description) {
  return () => {
    throw new HttpError(
      501,
      `Not implemented yet: ${description || 'this endpoint'}. Write it in app/custom-endpoints.js.`,
    );
  };
}

function idOf(params) {
  return /^\d+$/.test(params.id ?? '') ? Number(params.id) : params.id;
}

async function jsonInput(req) {
  const body = await readBody(req);
  return body.data;
}

export function registerApi(router, records, customEndpoints) {
  for (const model of records.models) {
    const { routes } = model;
    if (routes.list) {
      router.add('GET', routes.list, ({ res, query }) =>
        sendJson(res, 200, { items: records.list(model, query) }),
      );
    }
    if (routes.get) {
      router.add('GET', routes.get, ({ res, params }) =>
        sendJson(res, 200, records.get(model, idOf(params))),
      );
    }
    if (routes.create) {
      router.add('POST', routes.create, async ({ req, res }) => {
        const record = await records.create(model, await jsonInput(req));
        const location = routes.get?.replace(/:[^/]+/, String(record.id));
        sendJson(res, 201, record, location ? { location } : {});
      });
    }
    if (routes.update) {
      const update = async ({ req, res, params }) =>
        sendJson(res, 200, await records.update(model, idOf(params), await jsonInput(req)));
      router.add('PUT', routes.update, update);
      router.add('PATCH', routes.update, update);
    }
    if (routes.delete) {
      router.add('DELETE', routes.delete, async ({ res, params }) => {
        await records.remove(model, idOf(params));
        sendJson(res, 204);
      });
    }
    for (const counter of model.counters) {
      router.add('POST', counter.path, async ({ res, params }) =>
        sendJson(res, 200, await records.increment(model, idOf(params), counter.field)),
      );
    }
  }
  for (const endpoint of customEndpoints) {
    router.add(endpoint.method, endpoint.path, async (ctx) => {
      const input = ['POST', 'PUT', 'PATCH'].includes(endpoint.method) ? await jsonInput(ctx.req) : {};
      // A handler returns { status, body }; see app/custom-endpoints.js.
      const { status = 200, body = {} } = (await endpoint.handle({ ...ctx, input, records })) ?? {};
      sendJson(ctx.res, status, body);
    });
  }
}
