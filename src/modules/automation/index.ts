/** The automation module's public face: the browser robot (pool, URL guard, smoke suites, verification). */
export { type ArtifactKind, type ArtifactRef, type ArtifactStore, blobArtifactStore } from './artifacts.ts';
export { type BlueprintLike, suiteFromBlueprint } from './blueprint-suite.ts';
export {
  BrowserPool,
  type BrowserPoolOptions,
  type BrowserTask,
  browserPoolFromConfig,
  CHROMIUM_ARGS,
  findChromium,
  PLAYWRIGHT_LEAVES_SIGNALS,
} from './browser-pool.ts';
export { captureDesign, type DesignCapture, type DesignCaptureOptions } from './design/capture-design.ts';
export type { DesignAnalysis, Measure, TypeScale } from './design/design-analysis.ts';
export {
  analyzeImage,
  type ImageDesign,
  REFERENCE_IMAGE_TYPES,
  type ReferenceImageType,
  thumbnailOf,
} from './design/image-design.ts';
export { COLOR_ROLES, type ColorRole, type Palette, type PaletteColor } from './design/palette.ts';
export type { BlockedRequest } from './guard-proxy.ts';
export { type AutomationDeps, registerAutomationJobs, VerifyInput, verifyStep } from './jobs.ts';
export type { Check } from './page-steps.ts';
export type { FailedRequest } from './page-watch.ts';
export { automationRoutes } from './routes.ts';
export { runVerification, type VerificationOptions, type VerificationResult } from './run-verification.ts';
export {
  parseSmokeYaml,
  SMOKE_FILE,
  SmokePage,
  SmokeStep,
  SmokeSuite,
  type SmokeSuiteInput,
  type SourceRef,
} from './smoke-suite.ts';
export { type StartTaskDeps, startAutomationTask } from './tasks/start-task.ts';
export {
  AutomationTaskBody,
  type AutomationTaskBodyInput,
  TASK_KIND,
  TaskBudget,
} from './tasks/task-input.ts';
export { registerTaskJobs, type TaskDeps } from './tasks/task-job.ts';
export {
  BlockedUrlError,
  createUrlGuard,
  type GuardVerdict,
  type Target,
  type UrlGuard,
  type UrlGuardOptions,
} from './url-guard.ts';
export type { PageResult } from './verify-page.ts';
