import type { BlobStore } from '../../platform/blobs/index.ts';
import type { Resources } from '../../platform/resources.ts';
import type { Registry } from '../operations/index.ts';
import type { ReviewListener } from '../reviews/index.ts';
import type { Vault } from '../secrets/index.ts';
import type { CommitPassedListener } from './commit-passed.ts';

/** What pipelines need from the composition root. */
export type PipelineDeps = Resources & {
  vault: Vault;
  registry: Registry;
  blobs: BlobStore;
  /** Told when a branch's commit passed its pipeline (or has none to pass). */
  onCommitPassed?: readonly CommitPassedListener[];
  /** Told about the `pipeline` checks it reports (webhooks send them as `check_run`). */
  onEvent?: readonly ReviewListener[];
  /**
   * OTEL_* for a job's commands: telemetry to Orchard with the ingest token of the environment the
   * job's branch deploys to (or staging); empty when that environment does not exist yet.
   */
  telemetryEnv?(job: {
    projectId: string;
    ref: string;
    serviceName: string;
  }): Promise<Record<string, string>>;
};
