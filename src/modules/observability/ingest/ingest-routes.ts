import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../../platform/clock.ts';
import { UnauthorizedError } from '../../../platform/errors.ts';
import type { HttpApp } from '../../../platform/http/server.ts';
import { ingestExport } from './ingest-export.ts';
import type { IngestTenant } from './ingest-tenant.ts';
import type { IngestAuthenticator } from './ingest-tokens.ts';
import { ingestTokenOf } from './ingest-tokens.ts';
import { encodeResponse, responseObject, type Signal } from './otlp-codec.ts';
import { OTLP_PATH } from './otlp-path.ts';
import { encodingOf, readOtlpBody, tooLarge } from './read-otlp-body.ts';
import type { TelemetryWriter } from './telemetry-writer.ts';

export interface IngestRouteDeps {
  clock: Clock;
  writer: TelemetryWriter;
  authenticate: IngestAuthenticator;
  /** Largest body, compressed or not (413 past it). */
  bodyLimitBytes: number;
}

const SIGNALS: Signal[] = ['traces', 'logs', 'metrics'];

declare module 'fastify' {
  interface FastifyRequest {
    ingestTenant?: IngestTenant;
  }
}

/**
 * `POST /otlp/v1/{traces,logs,metrics}`: OTLP/HTTP from the apps Orchard deploys, protobuf or JSON,
 * gzip or not. Outside `/api`: authenticated here by the environment's ingest token (not a session
 * or API token), answered as the OTLP spec says (Export*ServiceResponse; errors as problem+json).
 * A 200 means the records are committed.
 */
export function ingestRoutes(deps: IngestRouteDeps) {
  return async (app: HttpApp) => {
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      // The one parser of the scope: its limit is every route's (413 past it).
      scope.addContentTypeParser(
        '*',
        { parseAs: 'buffer', bodyLimit: deps.bodyLimitBytes },
        (_r, body, done) => done(null, body),
      );
      // The token first: a stranger's body is never read.
      scope.addHook('onRequest', async (request) => {
        const tenant = await deps.authenticate(ingestTokenOf(request.headers));
        if (!tenant)
          throw new UnauthorizedError(
            "Send the environment's ingest token as Authorization: Bearer oit_… (Orchard sets OTEL_EXPORTER_OTLP_HEADERS in the apps it deploys).",
          );
        request.ingestTenant = tenant;
      });
      // The parent's handler answers problem+json; this only names the body limit.
      scope.setErrorHandler((error: FastifyError) => {
        throw error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? tooLarge(deps.bodyLimitBytes) : error;
      });
      for (const signal of SIGNALS) {
        scope.post(`${OTLP_PATH}/v1/${signal}`, { schema: { hide: true } }, (request, reply) =>
          answer(deps, signal, request, reply),
        );
      }
    });
  };
}

async function answer(deps: IngestRouteDeps, signal: Signal, request: FastifyRequest, reply: FastifyReply) {
  const encoding = encodingOf(request.headers['content-type']);
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const decoded = await readOtlpBody(signal, body, {
    encoding,
    contentEncoding: request.headers['content-encoding'],
    limitBytes: deps.bodyLimitBytes,
  });
  const { rejected, errorMessage } = await ingestExport(deps, signal, decoded, request.ingestTenant!);
  if (encoding === 'protobuf')
    return reply
      .code(200)
      .type('application/x-protobuf')
      .send(Buffer.from(encodeResponse(signal, rejected, errorMessage)));
  return reply
    .code(200)
    .type('application/json')
    .send(responseObject(signal, rejected, errorMessage));
}
