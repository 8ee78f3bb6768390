/** The pipelines and webhooks API's answers (src/modules/pipelines, notify), from openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

/** `jobs` is present on single-pipeline answers. */
export type Pipeline = Answer<'/api/projects/{slug}/pipelines/{id}', 'get'>;
export type PipelineStatus = Pipeline['status'];
export type Job = NonNullable<Pipeline['jobs']>[number];
export type JobStatus = Job['status'];
export type Artifact = ItemOf<Answer<'/api/projects/{slug}/pipelines/{id}/artifacts', 'get'>>;
export type JobLog = Answer<'/api/projects/{slug}/pipelines/{id}/jobs/{job}/log', 'get'>;
export type Webhook = ItemOf<Answer<'/api/projects/{slug}/webhooks', 'get'>>;
export type WebhookEvent = Webhook['events'][number];
export type Delivery = Answer<'/api/projects/{slug}/webhooks/{id}/deliveries/{deliveryId}', 'get'>;
/** What a job's declared test reports said; null on jobs without reports. */
export type TestReport = NonNullable<Job['testReport']>;
export type TestFailure = TestReport['failures'][number];
/** Counts: a job's report, or a pipeline's jobs added up. */
export type TestSummary = Pick<TestReport, 'passed' | 'failed' | 'skipped' | 'durationMs'>;
