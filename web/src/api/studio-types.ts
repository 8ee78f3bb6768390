/**
 * The Studio API's answers (src/modules/studio), from the generated openapi.gen.ts: the Blueprint
 * document is the server's zod `BlueprintShape`, a snapshot's patch its `JsonPatchOp`.
 */
import type { Answer, ItemOf, RequestBody } from './openapi-answer.ts';

export type Blueprint = Answer<'/api/blueprints/{id}', 'get'>;
/** `kind`: `create`, `autopilot`, `chat`, `edit`, `llm`, … */
export type Snapshot = ItemOf<Answer<'/api/blueprints/{id}/snapshots', 'get'>>;
/** A build of a Blueprint: its phase, branch and the Blueprint version it built. */
export type Feature = ItemOf<Answer<'/api/blueprints/{id}/features', 'get'>>;
export type SnapshotDetail = Answer<'/api/blueprints/{id}/snapshots/{version}', 'get'>;

export type BlueprintStatus = Blueprint['status'];
export type ArchitectMode = Blueprint['architectMode'];
export type TemplateId = NonNullable<RequestBody<'/api/prompts', 'post'>['template']>;
export type UnmetRule = Blueprint['readiness']['unmet'][number];
/** `POST /api/prompts`: the project, its Blueprint and the build operation, at once. */
export type PromptAccepted = Answer<'/api/prompts', 'post', 202>;
export type BuildAccepted = Answer<'/api/blueprints/{id}/build', 'post', 202>;
/** `POST /api/blueprints/{id}/changes`: a change request to a built app, made by a coding agent. */
export type ChangeAccepted = Answer<'/api/blueprints/{id}/changes', 'post', 202>;
/** Who writes a build's code: the scaffold of a template, or a coding agent. */
export type BuildRuntime = BuildAccepted['runtime'];
/** How well the closest template fits what was asked, and why. */
export type TemplateFit = BuildAccepted['fit'];

export type BlueprintDocument = Blueprint['blueprint'];
export type BlueprintEntity = BlueprintDocument['sections']['dataModel']['entities'][number];
export type BlueprintField = BlueprintEntity['fields'][number];
export type FieldType = BlueprintField['type'];
export type BlueprintEndpoint = BlueprintDocument['sections']['apiEndpoints'][number];
export type BlueprintPage = BlueprintDocument['sections']['pages'][number];
export type DesignTokens = BlueprintDocument['sections']['designSystem']['tokens'];
export type Assumption = BlueprintDocument['assumptions'][number];
export type JsonPatchOp = Snapshot['patch'][number];

export type BlueprintDiff = Answer<'/api/blueprints/{id}/diff', 'get'>;
/** A design reference (a captured page or an uploaded image) and the design tokens proposed from it. */
export type DesignReference = ItemOf<Answer<'/api/blueprints/{id}/references', 'get'>>;
export type Template = ItemOf<Answer<'/api/templates', 'get'>>;
/** The rule-based Architect answers at once (200); the LLM Architect streams over an operation (202). */
export type ChatAnswer =
  | Answer<'/api/blueprints/{id}/messages', 'post', 200>
  | Answer<'/api/blueprints/{id}/messages', 'post', 202>;

/** The field types in the order the Plan's picker offers them (every one, checked below). */
export const FIELD_TYPES = [
  'text',
  'longtext',
  'number',
  'integer',
  'boolean',
  'date',
  'datetime',
  'email',
  'url',
  'enum',
] as const satisfies readonly FieldType[];
// Fails to compile when the server gains a field type the picker does not offer.
const everyFieldType: Exclude<FieldType, (typeof FIELD_TYPES)[number]> extends never ? true : never = true;
void everyFieldType;
