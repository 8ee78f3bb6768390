/** The pipelines module's public face: pipeline file, triggers, runner, schedules, test reports. */

export type { CommitPassed, CommitPassedListener } from './commit-passed.ts';
export type { PipelineDeps } from './deps.ts';
export { describePipeline, type PipelineSummary } from './describe-pipeline.ts';
export { registerPipelineJobs } from './jobs.ts';
export { listArtifacts } from './list-artifacts.ts';
export { pipelinesOnPush, pipelinesOnReviewEvent } from './listeners.ts';
export { cancelPipeline, rerunPipeline, runPipelineManually } from './manage-pipelines.ts';
export { PipelineFileError, type PipelineSpec, parsePipelineFile } from './pipeline-file.ts';
export { getPipeline, readJobLog, startPipeline, stopPipeline } from './pipeline-views.ts';
export { pipelineRoutes } from './routes.ts';
export { nextCronTime, parseCron } from './schedules/cron.ts';
export { runDueSchedules, startPipelineScheduler } from './schedules/scheduler.ts';
export { RunPipelineBody } from './schemas.ts';
export { findBranchPipeline } from './store.ts';
export { readTestReports } from './test-reports/read-test-reports.ts';
export { triggerPipeline } from './trigger-pipeline.ts';
