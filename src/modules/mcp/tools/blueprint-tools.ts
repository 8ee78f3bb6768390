import { z } from 'zod';
import type { Clock } from '../../../platform/clock.ts';
import type { Db } from '../../../platform/db/pool.ts';
import type { LlmGateway } from '../../llm/index.ts';
import type { Registry } from '../../operations/index.ts';
import {
  BlueprintPatchBody,
  createArchitectChat,
  getProjectBlueprint,
  MessageBody,
  patchBlueprint,
  sendArchitectMessage,
  toBlueprintView,
} from '../../studio/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { Slug } from './tool-inputs.ts';

const BlueprintId = z
  .uuid('must be a Blueprint id (uuid)')
  .describe("The Blueprint's id (get_blueprint shows it)");

export type BlueprintToolDeps = { db: Db; llm: LlmGateway; registry: Registry; clock: Clock };

/** core: a project's Blueprint — read it, change it with a JSON Patch, talk it over with the Architect. */
export function blueprintTools(res: BlueprintToolDeps) {
  // The same Architect the chat route hands LLM turns to (res is read only when a call comes).
  const chat = createArchitectChat(res);
  return [
    defineTool({
      name: 'get_blueprint',
      set: 'core',
      title: 'Get the Blueprint',
      description:
        "A project's current Blueprint (its newest one not discarded), or the one with id: the app's entities, pages, endpoints and assumptions, its version, status and what it still lacks to be built (readiness).",
      input: z.object({ slug: Slug, id: BlueprintId.optional() }),
      route: { method: 'GET', url: '/api/projects/:slug/blueprints' },
      slugOf: (args) => args.slug,
      run: (ctx, args) => getProjectBlueprint(res, ctx.actor, args.slug, args.id),
    }),
    defineTool({
      name: 'patch_blueprint',
      set: 'core',
      title: 'Change the Blueprint',
      description:
        'Applies a JSON Patch (RFC 6902) to a Blueprint, all of it or none of it (developers). With version, it applies only if the Blueprint is still at that version. Answers with the Blueprint after it.',
      input: z.object({
        id: BlueprintId,
        patch: BlueprintPatchBody.describe(
          'JSON Patch operations, e.g. [{"op":"replace","path":"/summary","value":"…"}]',
        ),
        version: z.number().int().min(1).optional().describe('The version you read (like If-Match)'),
      }),
      route: { method: 'PATCH', url: '/api/blueprints/:id' },
      minRole: 'developer',
      run: async (ctx, args) =>
        toBlueprintView((await patchBlueprint(res.db, ctx, args.id, args.patch, args.version)).row),
    }),
    defineTool({
      name: 'chat_blueprint',
      set: 'core',
      title: 'Talk to the Architect',
      description:
        "Sends a message to a Blueprint's Architect (developers). The rule-based Architect answers at once with its reply, the change it made (snapshot.patch) and the Blueprint; the LLM Architect answers with an operation to follow (get_operation_events).",
      input: MessageBody.extend({ id: BlueprintId }),
      route: { method: 'POST', url: '/api/blueprints/:id/messages' },
      minRole: 'developer',
      run: async (ctx, { id, ...message }) =>
        (await sendArchitectMessage({ db: res.db, chat }, ctx, id, message)).body,
    }),
  ];
}
