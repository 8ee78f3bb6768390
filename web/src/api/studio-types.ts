/**
 * The Studio API's answers (src/modules/studio), from the generated openapi.gen.ts where the OpenAPI
 * document describes them.
 */
import type { Answer, ItemOf, RequestBody } from './openapi-answer.ts';

type BlueprintView = Answer<'/api/blueprints/{id}', 'get'>;
type SnapshotView = ItemOf<Answer<'/api/blueprints/{id}/snapshots', 'get'>>;

export type BlueprintStatus = BlueprintView['status'];
export type ArchitectMode = BlueprintView['architectMode'];
export type TemplateId = NonNullable<RequestBody<'/api/prompts', 'post'>['template']>;
export type UnmetRule = BlueprintView['readiness']['unmet'][number];
/** `POST /api/prompts`: the project, its Blueprint and the build operation, at once. */
export type PromptAccepted = Answer<'/api/prompts', 'post', 202>;
export type BuildAccepted = Answer<'/api/blueprints/{id}/build', 'post', 202>;

/** The Blueprint, with its document typed (the view declares it a plain record). */
export type Blueprint = Omit<BlueprintView, 'blueprint'> & { blueprint: BlueprintDocument };

/** `kind`: `create`, `autopilot`, `chat`, `edit`, `llm`, …; `patch` typed (the view declares records). */
export type Snapshot = Omit<SnapshotView, 'patch'> & { patch: JsonPatchOp[] };

// Hand-written below: the OpenAPI document declares a Blueprint's document and a snapshot's patch
// as plain records (BlueprintView and SnapshotView in src/modules/studio/schemas.ts), and
// GET /api/templates, GET /api/blueprints/{id}/diff and POST /api/blueprints/{id}/messages declare
// no response schema. They mirror src/modules/studio/blueprint-schema.ts and routes.ts.

export type FieldType =
  | 'text'
  | 'longtext'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'email'
  | 'url'
  | 'enum';

export const FIELD_TYPES: FieldType[] = [
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
];

export interface BlueprintField {
  name: string;
  type: FieldType;
  required: boolean;
  unique?: boolean;
  enumValues?: string[];
  description?: string;
}

export interface BlueprintEntity {
  name: string;
  description?: string;
  fields: BlueprintField[];
  relations: Array<{ name: string; kind: 'belongsTo' | 'hasMany'; target: string }>;
}

export interface BlueprintEndpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  entity?: string;
  action: string;
  description: string;
}

export interface BlueprintPage {
  name: string;
  path?: string;
  purpose: string;
  entity?: string;
  kind: string;
  components: string[];
}

export interface DesignTokens {
  colors: Record<string, string>;
  fonts: Record<string, string>;
  radii: Record<string, string>;
  spacing: Record<string, string>;
}

export type Assumption = string | { text: string; source: 'user' | 'architect' | 'autopilot' };

export interface BlueprintDocument {
  schemaVersion: number;
  template?: TemplateId;
  feature: string;
  summary: string;
  sections: {
    dataModel: { entities: BlueprintEntity[] };
    apiEndpoints: BlueprintEndpoint[];
    pages: BlueprintPage[];
    uiComponents: Array<{ name: string; description: string }>;
    designSystem: { tokens: DesignTokens };
  };
  references: Array<{ kind: 'url' | 'upload'; url?: string; artifactId?: string; note?: string }>;
  assumptions: Assumption[];
  openQuestions: Array<{ id: string; question: string; answer?: string }>;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

export interface BlueprintDiff {
  from: number;
  to: number;
  patch: JsonPatchOp[];
}

export interface Template {
  id: TemplateId;
  name: string;
  description: string;
  blueprint: BlueprintDocument;
}

/** The rule-based Architect answers at once; the LLM Architect streams over an operation. */
export type ChatAnswer =
  | { mode: 'rules'; reply: string; snapshot: Snapshot; blueprint: Blueprint }
  | { operationId: string; eventsUrl: string; mode?: 'llm' };
