/** The studio module's public face: its routes and its workflow steps (Blueprints, the Architect, builds). */
export { autopilotBlueprint } from './architect/autopilot-blueprint.ts';
export { ruleArchitectTurn } from './architect/rule-architect.ts';
export type { ChatHandler, StudioRouteDeps } from './deps.ts';
export { registerStudioJobs } from './jobs.ts';
export { releaseMainOnPass } from './main-release/release-main-on-pass.ts';
export { projectOverviews } from './overview/project-overviews.ts';
export { studioRoutes } from './routes.ts';
