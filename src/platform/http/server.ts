import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Clock } from '../clock.ts';
import { beforeAbort } from '../deadline.ts';
import { RateLimitedError, UnauthorizedError, ValidationError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { orchardVersion } from '../orchard-version.ts';
import type { Tracing } from '../tracing.ts';
import type { Actor } from './actor.ts';
import { problem, sendProblem, toProblem } from './problem.ts';
import { RateLimiter } from './rate-limit.ts';
import { traceRequests } from './request-spans.ts';
import { type ProjectAccessCheck, projectRoleNeeded, requireRouteAccess } from './route-auth.ts';
import { securityHeaders } from './security-headers.ts';
import { unstorableInput } from './storable-input.ts';
import type { StreamGuard } from './stream-guard.ts';

export type HttpApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
  interface FastifyInstance {
    /** Every route registered, for the table-driven permission tests and diagnostics. */
    routeTable: RouteEntry[];
    /** Ends event streams whose opener lost access (absent: streams are not followed). */
    streamGuard?: StreamGuard;
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  config: Record<string, unknown>;
  hasBody: boolean;
}

export interface ReadinessCheck {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
  /** What the machine lacks without making the server unready (e.g. Chromium for the browser robot). */
  warnings?: Array<{ id: string; status: string; summary: string }>;
}

export interface HttpServerOptions {
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  bodyLimitBytes: number;
  rateLimit: { ipPerMinute: number; tokenPerMinute: number; loginPerMinute: number };
  trustProxy: boolean;
  /** Send HSTS (only behind TLS). */
  hsts: boolean;
  /** Resolves the actor of a request from its credentials (identity module). */
  authenticate(request: FastifyRequest): Promise<Actor | undefined>;
  /**
   * The project gate (projects module): every route under `/api/projects/:slug` needs the caller to
   * hold the route's `projectRole` there, checked before the body is validated (absent: no gate).
   */
  projectAccess?: ProjectAccessCheck;
  /** Follows open event streams and ends those whose opener lost access. */
  streamGuard?: StreamGuard;
  /**
   * Readiness: database reachable, migrations applied, … `signal` aborts when the budget is spent:
   * a check still waiting then counts as failed.
   */
  readiness(request: FastifyRequest, signal: AbortSignal): Promise<ReadinessCheck>;
  /** `/ready` answers within this (+200 ms), whatever the checks are waiting for (default 1500 ms). */
  readyTimeoutMs?: number;
  /** Built web UI to serve at `/`, when present. */
  webRoot?: string;
  /** Route plugins (one per module), registered after the platform plugins. */
  routes: Array<(app: HttpApp) => Promise<void> | void>;
  /**
   * Requests whose Host names a deployed app (`<env>--<slug>.localhost`) are handed to this
   * instead of the API; return true when handled.
   */
  hostRouter?: (request: IncomingMessage, response: ServerResponse) => boolean;
  /** A span per request when tracing is on (absent or off: no hook at all). */
  tracing?: Tracing;
  /**
   * Told of every error that became an opaque 500 (error reporting records it). It must not throw or
   * wait: the answer goes out regardless.
   */
  onServerError?: (error: unknown, request: FastifyRequest) => void;
  /** Paths (by prefix) whose requests are neither logged nor traced, like the probes. */
  quietPathPrefixes?: readonly string[];
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const OPEN_PATHS = new Set(['/health', '/ready', '/metrics']);

export async function createHttpServer(options: HttpServerOptions): Promise<HttpApp> {
  const { logger, metrics } = options;
  const quietPrefixes = options.quietPathPrefixes ?? [];
  /**
   * Probes and scrapes arrive every few seconds, telemetry exports many times a second: logging or
   * tracing each would drown the useful lines (and spend on spans nobody keeps).
   */
  const isQuietRequest = (request: FastifyRequest) => {
    const path = request.url.split('?')[0] ?? '';
    return OPEN_PATHS.has(path) || quietPrefixes.some((prefix) => path.startsWith(prefix));
  };
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy,
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: isQuietRequest,
    }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // A URL the router cannot decode (`%FF`, `%zz`) or a path segment over maxParamLength is
    // answered before any hook runs; it still gets a problem document.
    frameworkErrors: (error, request, reply) => {
      reply.header('x-request-id', request.id);
      return sendProblem(reply, toProblem(error, request));
    },
    // Our own server so that requests for deployed apps (Host: <env>--<slug>.localhost) can be
    // proxied before Fastify routing sees them.
    serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) =>
      createServer((req, res) => {
        if (!options.hostRouter?.(req, res)) handler(req, res);
      }),
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('routeTable', [] as RouteEntry[]);
  app.decorate('streamGuard', options.streamGuard);
  if (options.streamGuard) app.addHook('onClose', async () => options.streamGuard?.close());
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      app.routeTable.push({
        method,
        url: route.url,
        config: (route.config ?? {}) as Record<string, unknown>,
        hasBody: Boolean(route.schema?.body),
      });
    }
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Hooks run on every request: they are few, and callback-style where nothing is awaited.
  const security = securityHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        frameSrc: ["'self'", 'http://*.localhost:*', 'https://*.localhost:*'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    },
    strictTransportSecurity: options.hsts ? { maxAge: 15552000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  // First of all hooks: the others run inside the request's span. Probes would drown the traces.
  if (options.tracing?.enabled) traceRequests(app, options.tracing, { skip: isQuietRequest });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    reply.headers(security);
    done();
  });

  await app.register(fastifyCookie);

  // Rate limits: per client IP for everything under /api and /git, stricter for login, and
  // per API token when one is presented.
  const ipLimiter = new RateLimiter(options.rateLimit.ipPerMinute, options.clock);
  const tokenLimiter = new RateLimiter(options.rateLimit.tokenPerMinute, options.clock);
  const loginLimiter = new RateLimiter(options.rateLimit.loginPerMinute, options.clock);
  const rateLimit = (request: FastifyRequest) => {
    const url = request.url;
    if (!url.startsWith('/api/') && !url.startsWith('/git/') && !url.startsWith('/mcp')) return;
    const auth = request.headers.authorization;
    let wait = 0;
    if (auth && /^(bearer|basic) /i.test(auth)) {
      wait = tokenLimiter.take(auth.slice(auth.indexOf(' ') + 1).slice(-32));
    } else {
      wait = ipLimiter.take(request.ip);
    }
    if (!wait && request.routeOptions.config?.rateLimitBucket === 'login')
      wait = loginLimiter.take(request.ip);
    if (wait) throw new RateLimitedError(`Too many requests; retry in ${wait} s.`, wait);
  };

  // Rate limits, then authentication and route-level permission: every /api route (and /mcp) needs
  // an actor unless public. These hooks take a callback: most requests have nothing to wait for here, and
  // an async hook costs every request a promise and a turn of the microtask queue.
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      rateLimit(request);
    } catch (error) {
      return done(error as Error);
    }
    const config = request.routeOptions.config ?? {};
    const url = request.routeOptions.url ?? '';
    // The MCP endpoint is an API too: same authentication, same route-level checks.
    if ((!url.startsWith('/api/') && url !== '/mcp') || config.auth === 'public') return done();
    options
      .authenticate(request)
      .then((actor) => {
        request.actor = actor;
        if (!actor)
          throw new UnauthorizedError(
            'Authentication required: send Authorization: Bearer <token> or log in.',
          );
        requireRouteAccess(actor, config, request.method, url);
      })
      .then(() => done(), done);
  });

  // Before any route's own hooks (the project gate looks the slug up) and before its schemas:
  // text PostgreSQL cannot store and JSON too deep to walk are refused here, once, for every route.
  app.addHook('preValidation', (request, _reply, done) => {
    const issues = [
      ...unstorableInput(request.params, 'params'),
      ...unstorableInput(request.query, 'querystring'),
      ...unstorableInput(request.body, 'body'),
    ];
    if (!issues.length) return done();
    done(new ValidationError(issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues));
  });

  // The project gate, after the input check and before any route's own hooks and schemas, so
  // non-members learn nothing from validation errors.
  const { projectAccess } = options;
  if (projectAccess) {
    app.addHook('preValidation', (request, _reply, done) => {
      if (!(request.routeOptions.url ?? '').startsWith('/api/projects/:slug')) return done();
      const slug = (request.params as { slug?: string }).slug;
      if (!slug || !request.actor) return done();
      projectAccess(
        request.actor,
        slug,
        projectRoleNeeded(request.routeOptions.config ?? {}, request.method),
      ).then(() => done(), done);
    });
  }

  // One labelled child per method, route and status: observing through it skips hashing the labels.
  const durations = new Map<string, { observe(value: number): void }>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? (reply.statusCode === 404 ? 'not_found' : 'unknown');
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let histogram = durations.get(key);
    if (!histogram) {
      histogram = metrics.httpDuration.labels({
        method: request.method,
        route,
        status: String(reply.statusCode),
      });
      durations.set(key, histogram);
    }
    histogram.observe(reply.elapsedTime / 1000);
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const body = toProblem(error, request);
    if (body.status >= 500) {
      request.log.error({ err: error }, 'request failed');
      if (body.status === 500 && options.onServerError) {
        try {
          options.onServerError(error, request);
        } catch (failure) {
          request.log.warn({ err: failure }, 'the server-error hook failed');
        }
      }
    }
    // Still a bug to fix: validation should have named the field before the database saw it.
    else if (body.code === 'invalid_input') request.log.warn({ err: error }, 'the database refused a value');
    else request.log.info({ status: body.status, code: body.code }, body.detail);
    return sendProblem(reply, body);
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Orchard API', version: orchardVersion(), description: 'The Orchard HTTP API.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token: orch_…' },
          session: { type: 'apiKey', in: 'cookie', name: 'orchard_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), auth: 'public' };
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list' },
    staticCSP: true,
  });

  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (request, reply) => {
    const budgetMs = options.readyTimeoutMs ?? 1_500;
    // The checks bound themselves by the budget and report which one was late; this net, a little
    // later, holds even if one of them does not.
    const net = AbortSignal.timeout(budgetMs + 200);
    const result = await beforeAbort(
      options.readiness(request, AbortSignal.timeout(budgetMs)),
      net,
      `the checks did not finish within ${budgetMs} ms`,
    ).catch(
      (error): ReadinessCheck => ({ ok: false, checks: { readiness: { ok: false, detail: error.message } } }),
    );
    if (result.ok) return reply.send({ status: 'ready', ...result });
    const failing = Object.entries(result.checks)
      .filter(([, check]) => !check.ok)
      .map(([name, check]) => `${name}: ${check.detail ?? 'failed'}`);
    return sendProblem(
      reply,
      problem(request, 503, 'not_ready', `Not ready. ${failing.join('; ')}`, { ...result, retryAfter: 5 }),
    );
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  for (const register of options.routes) await register(app);

  const webRoot = options.webRoot;
  const hasWeb = webRoot && existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    // wildcard: files are looked up per request, so a rebuilt UI is served without a restart.
    // Hashed assets never change; index.html must always be revalidated.
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: true,
      index: ['index.html'],
      setHeaders: (reply, file) => {
        reply.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    const isApi = url.startsWith('/api/') || url.startsWith('/git/') || OPEN_PATHS.has(url);
    if (!isApi && request.method === 'GET' && hasWeb) {
      return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(reply, {
      ...toProblem(new NotFound(`No route ${request.method} ${url.split('?')[0]}.`), request),
    });
  });

  return app;
}

class NotFound extends Error {
  statusCode = 404;
  code = 'NOT_FOUND';
}
