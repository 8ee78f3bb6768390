/** The studio module's public face: Blueprints (pure core + persistence), Architect, templates, spec, features. */

export {
  applyBlueprintPatch,
  applyJsonPatch,
  JsonPatch,
  JsonPatchOp,
  parseJsonPatch,
} from './apply-patch.ts';
export { createArchitectChat } from './architect-chat.ts';
export { ArchitectAnswer, ArchitectAnswerError, architectTurnWithLlm } from './architect-llm.ts';
export { autopilotBlueprint } from './autopilot-blueprint.ts';
export { requireBlueprint } from './blueprint-access.ts';
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
export { BuildInput } from './build-input.ts';
export { chatWithRules } from './chat-rules.ts';
export { type Command, commandLines, GRAMMAR, type ParseResult, parseCommand } from './command-grammar.ts';
export { commitBlueprintChange } from './commit-blueprint-change.ts';
export { createBlueprint } from './create-blueprint.ts';
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
export { registerStudioJobs } from './jobs.ts';
export { patchBlueprint } from './patch-blueprint.ts';
export { isReadyToBuild, type Readiness, templateOf, type UnmetRule } from './readiness.ts';
export { renderSpec } from './render-spec.ts';
export { type ChatHandler, type StudioRouteResources, studioRoutes } from './routes.ts';
export {
  type ArchitectTurn,
  nextStep,
  type RuleArchitectOptions,
  ruleArchitectTurn,
} from './rule-architect.ts';
export { changeBlueprintStatus } from './set-blueprint-status.ts';
export { type StartBuildOptions, startBuild } from './start-build.ts';
export { type PromptInput, startPromptBuild } from './start-prompt.ts';
export { type BlueprintRow, findBlueprint, setBlueprintStatus } from './store.ts';
export type { StudioDeps } from './studio-deps.ts';
export { listTemplates, renderTemplate, type TemplateInfo, templateIdOf } from './templates.ts';
export { toBlueprintView, toFeatureView } from './views.ts';
