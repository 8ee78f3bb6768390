/** The studio module's public face: its routes and its workflow steps (Blueprints, the Architect, builds). */
export { createArchitectChat } from './architect/architect-chat.ts';
export { autopilotBlueprint } from './architect/autopilot-blueprint.ts';
export { ruleArchitectTurn } from './architect/rule-architect.ts';
export { sendArchitectMessage } from './architect/send-architect-message.ts';
export { BoardQuery, ClassificationBody, MoveBody } from './board/board-schemas.ts';
export { featureCard } from './board/feature-cards.ts';
export { getBoard } from './board/get-board.ts';
export { getBoardStats } from './board/get-board-stats.ts';
export { moveFeature } from './board/move-feature.ts';
export { reclassifyFeature } from './board/reclassify-feature.ts';
export type { ChatHandler, StudioRouteDeps } from './deps.ts';
export { findProjectBlueprint } from './find-project-blueprint.ts';
export { getBlueprint, getProjectBlueprint } from './get-blueprint.ts';
export { getBlueprintSpec } from './get-blueprint-spec.ts';
export { registerStudioJobs } from './jobs.ts';
export { type CurrentBlueprint, listCurrentBlueprints } from './list-current-blueprints.ts';
export { releaseMainOnPass } from './main-release/release-main-on-pass.ts';
export { projectOverviews } from './overview/project-overviews.ts';
export { patchBlueprint } from './patch-blueprint.ts';
export { designReferenceRoutes } from './references/reference-routes.ts';
export { studioRoutes } from './routes.ts';
export { BlueprintPatchBody, type BlueprintView, MessageBody } from './schemas.ts';
export { classifyIssuesOnReviewEvent } from './sdlc/classify-issues-on-review.ts';
export { overrideIssueClassification } from './sdlc/issue-classification.ts';
export { ENVIRONMENT_BROWSER_KEY } from './verification/report-environment-verification.ts';
export { verificationRoutes } from './verification/verification-routes.ts';
export {
  VerifyBody,
  type VerifyEnvironmentDeps,
  verifyEnvironment,
} from './verification/verify-environment.ts';
export { verifyMergeRequestsOnReview } from './verification/verify-merge-requests-on-review.ts';
export { toBlueprintView } from './views.ts';
