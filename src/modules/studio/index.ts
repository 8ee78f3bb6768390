/** The studio module's public face (pure core: Blueprint, patches, readiness, Architect, templates, spec, features). */
export {
  applyBlueprintPatch,
  applyJsonPatch,
  JsonPatch,
  JsonPatchOp,
  parseJsonPatch,
} from './apply-patch.ts';
export { autopilotBlueprint } from './autopilot-blueprint.ts';
export {
  ApiEndpoint,
  Assumption,
  BLUEPRINT_SCHEMA_VERSION,
  Blueprint,
  type BlueprintInput,
  blueprintIssues,
  DesignTokens,
  EndpointAction,
  Entity,
  emptyBlueprint,
  Field,
  FieldType,
  HttpMethod,
  migrateBlueprint,
  OpenQuestion,
  Page,
  PageKind,
  parseBlueprint,
  Reference,
  Relation,
  TemplateId,
  UiComponent,
} from './blueprint-schema.ts';
export { type Command, commandLines, GRAMMAR, type ParseResult, parseCommand } from './command-grammar.ts';
export { diffBlueprints, diffJson } from './diff-blueprints.ts';
export {
  allowedNext,
  canTransition,
  FEATURE_PHASES,
  FEATURE_TRANSITIONS,
  type FeaturePhase,
  type FeatureState,
  type FeatureTransition,
  IllegalTransitionError,
  isFinal,
  newFeature,
  transition,
} from './feature-machine.ts';
export { fillGapsWithAssumptions } from './fill-gaps.ts';
export { isReadyToBuild, type Readiness, templateOf, type UnmetRule } from './readiness.ts';
export { renderSpec } from './render-spec.ts';
export {
  type ArchitectTurn,
  nextStep,
  type RuleArchitectOptions,
  ruleArchitectTurn,
} from './rule-architect.ts';
export { listTemplates, renderTemplate, type TemplateInfo, templateIdOf } from './templates.ts';
