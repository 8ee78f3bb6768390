/** Shapes of the Studio API (they mirror src/modules/studio/schemas.ts and blueprint-schema.ts). */

export type BlueprintStatus = 'draft' | 'ready' | 'building' | 'built' | 'discarded';
export type ArchitectMode = 'auto' | 'llm' | 'rules';
export type TemplateId = 'crud-app' | 'landing-page';

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

export interface UnmetRule {
  rule: string;
  message: string;
  question: string;
  example?: string;
}

export interface Blueprint {
  id: string;
  projectId: string;
  title: string;
  status: BlueprintStatus;
  architectMode: ArchitectMode;
  version: number;
  blueprint: BlueprintDocument;
  readiness: { ready: boolean; unmet: UnmetRule[] };
  createdAt: string;
  updatedAt: string;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

export interface Snapshot {
  version: number;
  /** `create`, `autopilot`, `chat`, `edit`, `llm`, … */
  kind: string;
  message: string | null;
  reply: string | null;
  patch: JsonPatchOp[];
  actor: string | null;
  operationId: string | null;
  createdAt: string;
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

/** `POST /api/prompts`: the project, its Blueprint and the build operation, at once. */
export interface PromptAccepted {
  operationId: string;
  projectSlug: string;
  blueprintId: string;
  eventsUrl: string;
}

export interface BuildAccepted {
  operationId: string;
  featureId?: string;
  eventsUrl: string;
}
