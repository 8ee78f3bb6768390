/**
 * The parts of the Blueprint and its unrefined shape. The cross-field rules (blueprint-rules.ts)
 * read this shape; blueprint-schema.ts joins the two into the `Blueprint` schema.
 */
import { z } from 'zod';
import { CheckStep } from './check-steps.ts';

export const BLUEPRINT_SCHEMA_VERSION = 1;

const PASCAL = /^[A-Z][A-Za-z0-9]{0,39}$/;
const CAMEL = /^[a-z][A-Za-z0-9]{0,39}$/;
const SEGMENT = '(?:[A-Za-z0-9._~-]+|:[a-z][A-Za-z0-9]*)';
/** `/`, `/photos`, `/api/photos/:id`: static segments or `:param`s, no trailing slash. */
export const ROUTE_PATH = new RegExp(`^/(?:${SEGMENT}(?:/${SEGMENT})*)?$`);
const ROUTE_HINT = 'use a path like /photos or /api/photos/:id (letters, digits, - . _ ~ and :params)';

const EntityName = z.string().regex(PASCAL, 'use PascalCase letters and digits, e.g. Photo or BlogPost');
const MemberName = z.string().regex(CAMEL, 'use camelCase letters and digits, e.g. title or dueDate');
const Text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const Line = (max: number) => Text(max).regex(/^[^\n]*$/, 'must be a single line');
const RoutePath = z.string().max(200).regex(ROUTE_PATH, ROUTE_HINT);

export const TemplateId = z.enum(['crud-app', 'landing-page', 'api-service', 'dashboard', 'static-site']);
export type TemplateId = z.infer<typeof TemplateId>;

export const FieldType = z.enum([
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
]);
export type FieldType = z.infer<typeof FieldType>;

export const Field = z.strictObject({
  name: MemberName,
  type: FieldType,
  required: z.boolean().default(false),
  unique: z.boolean().optional(),
  enumValues: z.array(Line(60).min(1, 'must not be empty')).max(50).optional(),
  description: Text(500).optional(),
});
export type Field = z.infer<typeof Field>;

export const Relation = z.strictObject({
  name: MemberName,
  kind: z.enum(['belongsTo', 'hasMany']),
  target: EntityName,
});
export type Relation = z.infer<typeof Relation>;

export const Entity = z.strictObject({
  name: EntityName,
  description: Text(500).optional(),
  fields: z.array(Field).max(100).default([]),
  relations: z.array(Relation).max(50).default([]),
});
export type Entity = z.infer<typeof Entity>;

export const HttpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
export type HttpMethod = z.infer<typeof HttpMethod>;
export const EndpointAction = z.enum(['list', 'get', 'create', 'update', 'delete', 'custom']);
export type EndpointAction = z.infer<typeof EndpointAction>;

export const ApiEndpoint = z.strictObject({
  method: HttpMethod,
  path: RoutePath,
  entity: EntityName.optional(),
  action: EndpointAction,
  description: Text(500).default(''),
});
export type ApiEndpoint = z.infer<typeof ApiEndpoint>;

/** `dashboard`: charts over the app's own records (counts and sums by enum, date and boolean fields). */
export const PageKind = z.enum(['list', 'detail', 'form', 'landing', 'custom', 'dashboard']);
export type PageKind = z.infer<typeof PageKind>;

export const Page = z.strictObject({
  name: Line(60).min(1, 'must not be empty'),
  /** Optional while drafting; readiness requires it. */
  path: RoutePath.optional(),
  purpose: Text(500).default(''),
  entity: EntityName.optional(),
  kind: PageKind,
  components: z.array(Line(60)).max(30).default([]),
});
export type Page = z.infer<typeof Page>;

export const UiComponent = z.strictObject({
  name: Line(60).min(1, 'must not be empty'),
  description: Text(500).default(''),
});
export type UiComponent = z.infer<typeof UiComponent>;

const TOKEN_KEY = /^[a-z][a-zA-Z0-9-]{0,30}$/;
/** Hex, rgb()/hsl() or a named color: values end up in CSS, so nothing else is allowed. */
export const Color = z
  .string()
  .trim()
  .regex(
    /^(#[0-9a-fA-F]{3,8}|(rgb|rgba|hsl|hsla)\([0-9.,%\s/]+\)|[a-zA-Z]{3,30})$/,
    'use a CSS color such as #2563eb, rgb(37 99 235) or white',
  );
export const Font = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9 ,'"-]{1,120}$/, 'use a CSS font list such as "Inter, system-ui, sans-serif"');
export const Length = z
  .string()
  .trim()
  .regex(/^(0|\d{1,4}(\.\d{1,3})?(px|rem|em|%))$/, 'use a CSS length such as 8px, 0.5rem or 0');
const tokenMap = <T extends z.ZodType>(value: T) =>
  z.record(z.string().regex(TOKEN_KEY, 'use a short lowercase token name such as md or primary'), value);

export const DesignTokens = z.strictObject({
  colors: tokenMap(Color).default({}),
  fonts: tokenMap(Font).default({}),
  /** The type scale: `body`, `small`, `h1`–`h3` (see design-defaults.ts), or any other name. */
  fontSizes: tokenMap(Length).default({}),
  radii: tokenMap(Length).default({}),
  spacing: tokenMap(Length).default({}),
});
export type DesignTokens = z.infer<typeof DesignTokens>;

export const Reference = z.strictObject({
  kind: z.enum(['url', 'upload']),
  url: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2000)
    .optional(),
  artifactId: z.string().min(1).max(100).optional(),
  note: Text(1000).optional(),
  tokens: DesignTokens.partial().optional(),
});
export type Reference = z.infer<typeof Reference>;

export const AssumptionSource = z.enum(['user', 'architect', 'autopilot']);
export const Assumption = z.union([
  Text(1000).min(1),
  z.strictObject({ text: Text(1000).min(1), source: AssumptionSource }),
]);
export type Assumption = z.infer<typeof Assumption>;

export const OpenQuestion = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'use a short id such as q1'),
  question: Text(1000).min(1),
  answer: Text(2000).optional(),
});
export type OpenQuestion = z.infer<typeof OpenQuestion>;

/**
 * A browser check of one acceptance criterion: the robot opens `path` on the deployed app and runs
 * the steps there (fill, click, expect text …), as a user would.
 */
export const AcceptanceCheck = z.strictObject({
  path: z
    .string()
    .max(200)
    .regex(/^\/[^\s:]*$/, 'use a path the robot can open, like /recipes (no :params)'),
  steps: z.array(CheckStep).min(1, 'list at least one step').max(30, 'use at most 30 steps'),
});
export type AcceptanceCheck = z.infer<typeof AcceptanceCheck>;

export const AcceptanceCriterion = z.strictObject({
  text: Text(500).min(1, 'must say what must hold'),
  /** Without one, the criterion is told to the coding agent but not checked in the browser. */
  check: AcceptanceCheck.optional(),
});
export type AcceptanceCriterion = z.infer<typeof AcceptanceCriterion>;

/** "As a cook, I can add a recipe and see it in the list": what was asked, and how to tell it works. */
export const UserStory = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'use a short lowercase id such as add-recipe'),
  story: Text(500).min(1, 'must not be empty'),
  acceptance: z.array(AcceptanceCriterion).max(20, 'use at most 20 criteria').default([]),
});
export type UserStory = z.infer<typeof UserStory>;

export const BlueprintShape = z.strictObject({
  schemaVersion: z.literal(BLUEPRINT_SCHEMA_VERSION),
  /** Which template the Blueprint targets; undefined means a CRUD app. */
  template: TemplateId.optional(),
  feature: Line(80).default(''),
  summary: Text(2000).default(''),
  // prefault (not default) so a missing section is parsed, and its own defaults fill it in.
  sections: z
    .strictObject({
      dataModel: z.strictObject({ entities: z.array(Entity).max(50).default([]) }).prefault({}),
      apiEndpoints: z.array(ApiEndpoint).max(300).default([]),
      pages: z.array(Page).max(100).default([]),
      uiComponents: z.array(UiComponent).max(100).default([]),
      designSystem: z.strictObject({ tokens: DesignTokens.prefault({}) }).prefault({}),
    })
    .prefault({}),
  userStories: z.array(UserStory).max(100).default([]),
  references: z.array(Reference).max(50).default([]),
  assumptions: z.array(Assumption).max(200).default([]),
  openQuestions: z.array(OpenQuestion).max(100).default([]),
});
export type BlueprintShape = z.infer<typeof BlueprintShape>;
