import { z } from 'zod';
import { contextOf } from '../../platform/http/request-context.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import type { Vault } from '../secrets/index.ts';
import { conversationRoutes } from './conversations/routes.ts';
import type { LlmGateway } from './gateway/create-gateway.ts';
import { createProvider } from './providers/create-provider.ts';
import { deleteLlmSecret } from './providers/delete-llm-secret.ts';
import { deleteProvider } from './providers/delete-provider.ts';
import { listLlmSecrets } from './providers/list-llm-secrets.ts';
import { putLlmSecret } from './providers/put-llm-secret.ts';
import { updateProvider } from './providers/update-provider.ts';
import {
  CreateProviderBody,
  ListCallsQuery,
  LlmCallView,
  LlmSecretName,
  LlmSecretView,
  ProviderList,
  ProviderParams,
  ProviderView,
  PutLlmSecretBody,
  StatsQuery,
  StatsView,
  UpdateProviderBody,
} from './schemas.ts';
import { listCalls } from './telemetry/list-calls.ts';
import { readLlmStats } from './telemetry/read-llm-stats.ts';

const tags = ['llm'];
const admin = { adminOnly: true } as const;

/** `/api/llm/*` (providers, keys, call records, stats) and `/api/conversations`. */
export function llmRoutes(res: Resources & { vault: Vault; llm: LlmGateway }) {
  const { db, vault, llm } = res;
  const viewOf = async (name: string) => (await llm.providers()).find((p) => p.name === name)!;
  return async (app: HttpApp) => {
    app.get(
      '/api/llm/providers',
      { config: admin, schema: { tags, response: { 200: ProviderList } } },
      async () => ({
        items: await llm.providers(),
        nextCursor: null,
        aliases: llm.aliases(),
      }),
    );

    app.post(
      '/api/llm/providers',
      { config: admin, schema: { tags, body: CreateProviderBody, response: { 201: ProviderView } } },
      async (request, reply) => {
        const row = await createProvider(db, vault, llm.registry, contextOf(request), request.body);
        return reply.status(201).send(await viewOf(row.name));
      },
    );

    app.patch(
      '/api/llm/providers/:name',
      {
        config: admin,
        schema: { tags, params: ProviderParams, body: UpdateProviderBody, response: { 200: ProviderView } },
      },
      async (request) => {
        const row = await updateProvider(
          db,
          vault,
          llm.registry,
          contextOf(request),
          request.params.name,
          request.body,
        );
        return viewOf(row.name);
      },
    );

    app.delete(
      '/api/llm/providers/:name',
      { config: admin, schema: { tags, params: ProviderParams } },
      async (request, reply) => {
        await deleteProvider(db, llm.registry, contextOf(request), request.params.name);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/llm/secrets',
      {
        config: admin,
        schema: {
          tags,
          response: { 200: z.object({ items: z.array(LlmSecretView), nextCursor: z.null() }) },
        },
      },
      async () => listLlmSecrets(db),
    );

    app.put(
      '/api/llm/secrets/:name',
      { config: admin, schema: { tags, params: z.object({ name: LlmSecretName }), body: PutLlmSecretBody } },
      async (request, reply) => {
        const saved = await putLlmSecret(
          db,
          vault,
          contextOf(request),
          request.params.name,
          request.body.value,
        );
        llm.registry.invalidate();
        return reply.status(saved.created ? 201 : 200).send({ name: saved.name, updatedAt: saved.updatedAt });
      },
    );

    app.delete(
      '/api/llm/secrets/:name',
      { config: admin, schema: { tags, params: z.object({ name: LlmSecretName }) } },
      async (request, reply) => {
        await deleteLlmSecret(db, contextOf(request), request.params.name);
        llm.registry.invalidate();
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/llm/calls',
      {
        schema: {
          tags,
          querystring: ListCallsQuery,
          response: { 200: z.object({ items: z.array(LlmCallView), nextCursor: z.string().nullable() }) },
        },
      },
      async (request) => {
        await llm.flush();
        return listCalls(db, contextOf(request).actor, request.query);
      },
    );

    app.get(
      '/api/llm/stats',
      { schema: { tags, querystring: StatsQuery, response: { 200: StatsView } } },
      async (request) => readLlmStats(res, contextOf(request).actor, request.query),
    );

    await conversationRoutes(db, res.clock)(app);
  };
}
