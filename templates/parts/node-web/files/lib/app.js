/**
 * The app: JSON API, server-rendered pages, static assets and /health, on node:http alone.
 * What it serves comes from models/ (the data), app/site.js (the pages),
 * app/custom-endpoints.js (hand-written endpoints) and lib/extensions/ (routes of the template's
 * other parts, such as the OpenAPI document of an API service). An app without pages answers
 * JSON everywhere, errors included.
 */

import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { customEndpoints } from '../app/custom-endpoints.js';
import { site } from '../app/site.js';
import { models } from '../models/index.js';
import { registerApi } from './api.js';
import { extensions } from './extensions/index.js';
import { html, layout } from './html.js';
import { HttpError, readBody, redirect, sendHtml, sendJson } from './http.js';
import { openStore } from './open-store.js';
import { renderers } from './pages/index.js';
import { Records } from './records.js';
import { Router } from './router.js';
import {
  endRequestSpan,
  flushTelemetry,
  reportBrowserError,
  startRequestSpan,
  telemetryEnabled,
} from './telemetry.js';

const PUBLIC_DIR = new URL('../public/', import.meta.url);
const CONTENT_TYPES = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export async function createApp({ dataDir, databaseUrl }) {
  const store = await openStore({ dataDir, databaseUrl, models });
  const records = new Records(store, models);
  const router = new Router();
  router.add('GET', '/health', ({ res }) => sendJson(res, 200, { status: 'ok' }));
  // The page's own errors (public/orchard-errors.js), forwarded with the app's telemetry.
  router.add('POST', '/__telemetry/errors', async ({ req, res }) => {
    const { data } = await readBody(req);
    reportBrowserError(data);
    res.writeHead(204).end();
  });
  await registerAssets(router);
  registerApi(router, records, customEndpoints);
  registerPages(router, records);
  for (const extend of extensions) extend(router, { site, models, records, customEndpoints });
  const server = http.createServer((req, res) => handle(router, req, res));
  return {
    server,
    store,
    records,
    async close() {
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await store.close();
      await flushTelemetry();
    },
  };
}

/** Serves each file in public/ at /assets/<name>; nothing else on disk is reachable. */
async function registerAssets(router) {
  for (const name of await readdir(PUBLIC_DIR)) {
    const type = CONTENT_TYPES[path.extname(name)];
    if (!type) continue;
    const content = await readFile(new URL(name, PUBLIC_DIR));
    router.add('GET', `/assets/${name}`, ({ res }) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
      res.end(content);
    });
  }
}

function showPage(res, { status = 200, title, body }, currentPath) {
  sendHtml(res, status, layout(site, { title, body, path: currentPath }));
}

function registerPages(router, records) {
  for (const page of site.pages) {
    const renderer = renderers[page.kind];
    const model = page.entity ? records.byName.get(page.entity) : undefined;
    const context = (ctx) => ({
      page,
      site,
      model,
      records,
      params: ctx.params,
      query: ctx.query,
      path: ctx.path,
    });
    router.add('GET', page.path, async (ctx) =>
      showPage(ctx.res, await renderer.render(context(ctx)), ctx.path),
    );
    if (!renderer.submit) continue;
    router.add('POST', page.path, async (ctx) => {
      const { data } = await readBody(ctx.req);
      const outcome = await renderer.submit({ ...context(ctx), body: data });
      if (outcome.redirect) redirect(ctx.res, outcome.redirect);
      else showPage(ctx.res, outcome, ctx.path);
    });
  }
}

async function handle(router, req, res) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const wantsJson =
    !site.pages.length ||
    url.pathname === '/health' ||
    url.pathname === '/api' ||
    url.pathname.startsWith('/api/');
  // A server span and a log record per request when telemetry is on (health probes and the error
  // reports left out); without an OTLP endpoint no request does any span work.
  const traced = telemetryEnabled && url.pathname !== '/health' && url.pathname !== '/__telemetry/errors';
  const span = traced ? startRequestSpan(req) : undefined;
  let route;
  let failure;
  if (span) {
    res.on('finish', () =>
      endRequestSpan(span, {
        method: req.method,
        path: url.pathname,
        route,
        status: res.statusCode,
        error: failure,
      }),
    );
  }
  try {
    // Node leaves the body out of HEAD responses by itself.
    const found = router.match(req.method === 'HEAD' ? 'GET' : req.method, url.pathname);
    if (!found) throw new HttpError(404, `There is nothing at ${url.pathname}`);
    if (found.allowed) {
      res.setHeader('allow', found.allowed.join(', '));
      throw new HttpError(405, `${req.method} is not allowed here; use ${found.allowed.join(' or ')}`);
    }
    route = found.pattern;
    const query = Object.fromEntries(url.searchParams);
    await found.handler({ req, res, params: found.params, query, path: url.pathname });
  } catch (error) {
    const status = error instanceof HttpError ? error.status : 500;
    if (status === 500) console.error(error);
    failure = error;
    const message = status === 500 ? 'Something went wrong on our side' : error.message;
    if (res.headersSent) return void res.destroy();
    if (wantsJson) {
      sendJson(res, status, { error: message, ...(error.fields?.length ? { fields: error.fields } : {}) });
    } else {
      const body = html`<h1>${status === 404 ? 'Not found' : 'Something went wrong'}</h1>
<p>${message}</p>
<p><a href="/">Back to the start</a></p>`;
      showPage(res, { status, title: status === 404 ? 'Not found' : 'Error', body }, url.pathname);
    }
  }
}
