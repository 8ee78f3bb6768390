import type { Queryable } from '../../../platform/db/pool.ts';
import type { Logger } from '../../../platform/log.ts';
import type { AccessCookie } from '../access-cookie.ts';
import type { ArtifactRef, ArtifactStore } from '../artifacts.ts';
import type { BrowserPool } from '../browser-pool.ts';
import type { BlockedRequest } from '../guard-proxy.ts';
import type { UrlGuard } from '../url-guard.ts';
import type { CachedAction } from './action-cache-store.ts';
import type { Planner } from './planner.ts';
import type { CacheOutcome } from './resolve-act.ts';
import type { AutomationTaskBody } from './task-input.ts';
import type { Variables } from './variables.ts';

export interface StepResult {
  index: number;
  kind: string;
  /** What the step did, with placeholders (never secret values). */
  name: string;
  passed: boolean;
  message: string;
  ms: number;
  screenshot?: ArtifactRef;
  cache?: CacheOutcome;
  /** The action the planner (or the cache) chose, replayable as a step. */
  resolved?: CachedAction;
  /** `observe`: the actions the page offers. */
  candidates?: CachedAction[];
  /** `extract`: the data read. */
  data?: unknown;
}

export interface TaskRunResult {
  passed: boolean;
  finalUrl?: string;
  steps: StepResult[];
  /** `extract` results by name, and a goal's result as `result`. */
  extracted: Record<string, unknown>;
  summary?: string;
  cache: { hits: number; misses: number; heals: number };
  planner: { calls: number; costUsd: number };
  har?: ArtifactRef;
  trace?: ArtifactRef;
  downloads: ArtifactRef[];
  blockedRequests: BlockedRequest[];
  durationMs: number;
  /** Why the task stopped early (budget, time, a failed step), if it did. */
  stoppedBecause?: string;
}

export interface TaskRunOptions {
  task: AutomationTaskBody;
  projectId: string;
  variables: Variables;
  pool: BrowserPool;
  guard: UrlGuard;
  artifacts: ArtifactStore;
  artifactPrefix: string;
  /** Absent: steps that need the planner fail saying so. */
  planner?: Planner;
  /** The action cache's database; absent (or `useCache: false`): no cache. */
  cacheDb?: Queryable;
  signal?: AbortSignal;
  logger?: Logger;
  onStep?: (step: StepResult) => unknown;
  onArtifact?: (artifact: ArtifactRef) => unknown;
  /** Cookies the browser starts with: the access a private environment gives Orchard's robot. */
  cookies?: readonly AccessCookie[];
}

/** Ends a task early with a reason (budget, time, a failed step); not an error of Orchard's. */
export class StopTask extends Error {}

/** At least this long for a page load, within the task's time. */
export const NAVIGATION_MS = 30_000;
