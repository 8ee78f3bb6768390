/** The Blueprint as a pure model: schema, rules, JSON Patch and pointers, diff, readiness, naming, defaults, field inference and gap filling. Imports only zod and platform/. */
export { applyBlueprintPatch, type JsonPatch, JsonPatchOp, parseJsonPatch } from './apply-patch.ts';
export {
  type AcceptanceCheck,
  type AcceptanceCriterion,
  type ApiEndpoint,
  Blueprint,
  BlueprintShape,
  Color,
  type DesignTokens,
  type EndpointAction,
  type Entity,
  emptyBlueprint,
  type Field,
  FieldType,
  Font,
  type HttpMethod,
  Length,
  type Page,
  type PageKind,
  parseBlueprint,
  ROUTE_PATH,
  TemplateId,
  type UserStory,
} from './blueprint-schema.ts';
export {
  CHECK_STEP_NAMES,
  CheckStep,
  requiredMessage,
  YAML_CHECK_STEPS,
} from './check-steps.ts';
export {
  CRUD_ACTIONS,
  type CrudAction,
  crudEndpoint,
  crudRoute,
  defaultPages,
  describeEndpoints,
  exposeEntity,
} from './crud-defaults.ts';
export { DEFAULT_TOKENS, tokensFor } from './design-defaults.ts';
export { diffBlueprints } from './diff-blueprints.ts';
export { describeField, type FieldSpec, parseFieldList } from './field-spec.ts';
export { fillGapsWithAssumptions } from './fill-gaps.ts';
export {
  clip,
  collectionName,
  humanize,
  memberName,
  pluralizeName,
  pluralizeWord,
  safeIdentifier,
  singularizeName,
  singularizeWord,
  toCamelCase,
  toKebabCase,
  toPascalCase,
  withArticle,
} from './naming.ts';
export { isReadyToBuild, templateOf } from './readiness.ts';
export { storiesFor } from './user-stories.ts';
