import type { OperationEvent, OperationStatus } from '../../api/operation-types.ts';
import { failureLines } from './live-format.ts';

/** What the UI knows about one step of an operation, folded from its events. */
export interface LiveStep {
  key: string;
  status: string;
  attempt: number;
  /** 0..1 from `progress` events (1 once succeeded). */
  fraction?: number;
  message?: string;
  /** The latest `phase` the step announced. */
  phase?: string;
  error?: string;
  durationMs?: number;
  /** Fan-out children (`parent/child` keys) and their statuses. */
  children: Record<string, string>;
}

export interface LiveLog {
  id: string;
  step: string | null;
  stream: string;
  text: string;
  at: string;
}

export interface LiveArtifact {
  eventId: number;
  step: string | null;
  name: string;
  /** `screenshot`, `har`, `trace`, `spec`, `commit`, `merge-request`, `pipeline`, `url`, `check`, … */
  kind: string;
  /** Where it can be fetched or opened; checks have none. */
  url?: string;
  contentType?: string;
  size?: number;
  at: string;
  /** Everything the event carried (a check's status and summary, a commit's sha, …). */
  data: Record<string, unknown>;
}

/** One step of an automation task (`task-step` events), with its screenshot. */
export interface LiveTaskStep {
  index: number;
  kind: string;
  name: string;
  passed: boolean;
  message: string;
  ms: number;
  /** `hit`, `replayed`, `miss` or `healed` for an `act`. */
  cache?: string;
  screenshotUrl?: string;
  data?: unknown;
}

export interface LiveOperation {
  status: OperationStatus | 'unknown';
  run: number;
  kind?: string;
  /** Top-level steps in the order the operation declared (or first mentioned) them. */
  steps: LiveStep[];
  logs: LiveLog[];
  artifacts: LiveArtifact[];
  /** An automation task's steps, in order, and its summary (`task-result`). */
  taskSteps: LiveTaskStep[];
  taskResult?: Record<string, unknown>;
  /** The models that answered an automation task's planner (`planner` events), each once. */
  plannerModels: Array<{ alias: string | null; model: string }>;
  /** The latest `phase` of any step, for one-line summaries. */
  phase?: { step: string | null; name: string; message?: string };
  /** Streamed LLM text (`llm.delta`) of the current run. */
  llmText: string;
  error?: string;
  /** The step whose failure ended the operation. */
  errorStep?: string;
  output?: unknown;
  lastEventId: number;
  /** The terminal `complete` of the latest run has arrived. */
  done: boolean;
}

/** Logs kept in memory per operation: enough to read, not enough to slow the page down. */
export const MAX_LOG_LINES = 3000;

export const emptyLiveOperation = (): LiveOperation => ({
  status: 'unknown',
  run: 1,
  steps: [],
  logs: [],
  artifacts: [],
  taskSteps: [],
  plannerModels: [],
  llmText: '',
  lastEventId: 0,
  done: false,
});

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Artifacts are served by `GET /api/artifacts/<blob key>` unless the event names a URL. */
export function artifactUrl(data: Record<string, unknown>): string | undefined {
  const url = str(data.url);
  if (url) return url;
  const key = str(data.blobId) ?? str(data.id) ?? str(data.key);
  return key ? `/api/artifacts/${key.split('/').map(encodeURIComponent).join('/')}` : undefined;
}

function withStep(state: LiveOperation, key: string, change: (step: LiveStep) => LiveStep): LiveOperation {
  const slash = key.indexOf('/');
  if (slash > 0) {
    // Children are counted on their top-level parent rather than drawn one per line.
    const parent = key.slice(0, slash);
    return withStep(state, parent, (p) => {
      const child = change({ key, status: p.children[key] ?? 'blocked', attempt: 0, children: {} });
      return { ...p, children: { ...p.children, [key]: child.status } };
    });
  }
  const index = state.steps.findIndex((s) => s.key === key);
  const current = index >= 0 ? state.steps[index]! : { key, status: 'blocked', attempt: 0, children: {} };
  const next = change(current);
  const steps = [...state.steps];
  if (index >= 0) steps[index] = next;
  else steps.push(next);
  return { ...state, steps };
}

function withLogLines(state: LiveOperation, event: OperationEvent, stream: string, lines: string[]) {
  const added = lines.map((line, i) => ({
    id: `${event.id}:${i}`,
    step: event.step,
    stream,
    text: line,
    at: event.at,
  }));
  const logs = [...state.logs, ...added];
  return { ...state, logs: logs.length > MAX_LOG_LINES ? logs.slice(-MAX_LOG_LINES) : logs };
}

/** Folds one event into the state (pure: the same events always give the same state). */
export function applyOperationEvent(state: LiveOperation, event: OperationEvent): LiveOperation {
  const d = event.data ?? {};
  let next: LiveOperation = { ...state, lastEventId: Math.max(state.lastEventId, event.id) };
  switch (event.type) {
    case 'operation': {
      const run = num(d.run) ?? next.run;
      if (run > next.run) next = { ...next, llmText: '', error: undefined, errorStep: undefined };
      next = { ...next, run, status: (str(d.status) as OperationStatus) ?? next.status, done: false };
      if (str(d.kind)) next.kind = str(d.kind);
      for (const s of (Array.isArray(d.steps) ? d.steps : []) as Array<{ key?: unknown }>) {
        if (typeof s.key === 'string') next = withStep(next, s.key, (x) => x);
      }
      return next;
    }
    case 'steps': {
      for (const s of (Array.isArray(d.added) ? d.added : []) as Array<{ key?: unknown; status?: unknown }>) {
        if (typeof s.key === 'string')
          next = withStep(next, s.key, (x) => ({ ...x, status: str(s.status) ?? x.status }));
      }
      return next;
    }
    case 'step': {
      if (!event.step) return next;
      const status = str(d.status);
      if (status === 'running' && next.status !== 'running') next = { ...next, status: 'running' };
      return withStep(next, event.step, (s) => ({
        ...s,
        status: status ?? s.status,
        attempt: num(d.attempt) ?? s.attempt,
        durationMs: num(d.durationMs) ?? s.durationMs,
        error: status === 'failed' ? (str(d.error) ?? s.error) : status === 'running' ? undefined : s.error,
        fraction:
          status === 'succeeded' ? 1 : status === 'running' && s.status !== 'running' ? 0 : s.fraction,
        message: status === 'running' && s.status !== 'running' ? undefined : s.message,
      }));
    }
    case 'progress': {
      if (!event.step) return next;
      return withStep(next, event.step, (s) => ({
        ...s,
        fraction: num(d.fraction) ?? s.fraction,
        message: str(d.message) ?? s.message,
      }));
    }
    case 'phase': {
      const name = str(d.phase) ?? str(d.name) ?? str(d.label) ?? event.step ?? 'phase';
      next = { ...next, phase: { step: event.step, name, message: str(d.message) } };
      if (!event.step) return next;
      return withStep(next, event.step, (s) => ({ ...s, phase: name, message: str(d.message) ?? s.message }));
    }
    case 'log': {
      const lines = (str(d.text) ?? '').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      return withLogLines(next, event, str(d.stream) ?? 'stdout', lines);
    }
    case 'artifact': {
      const url = artifactUrl(d);
      const artifact: LiveArtifact = {
        eventId: event.id,
        step: event.step,
        name: str(d.name) ?? url?.split('/').pop() ?? 'artifact',
        kind: str(d.kind) ?? 'file',
        url,
        contentType: str(d.contentType),
        size: num(d.size),
        at: event.at,
        data: d,
      };
      return { ...next, artifacts: [...next.artifacts, artifact] };
    }
    case 'task-step': {
      const shot = d.screenshot as Record<string, unknown> | undefined;
      const step: LiveTaskStep = {
        index: num(d.index) ?? next.taskSteps.length,
        kind: str(d.kind) ?? 'step',
        name: str(d.name) ?? '',
        passed: d.passed === true,
        message: str(d.message) ?? '',
        ms: num(d.ms) ?? 0,
        ...(str(d.cache) ? { cache: str(d.cache) } : {}),
        ...(shot ? { screenshotUrl: artifactUrl(shot) } : {}),
        ...(d.data !== undefined ? { data: d.data } : {}),
      };
      // A retried run starts its steps again from 0.
      const kept = next.taskSteps.filter((s) => s.index < step.index);
      return { ...next, taskSteps: [...kept, step] };
    }
    case 'task-result':
      return { ...next, taskResult: d };
    case 'planner': {
      const model = str(d.model);
      const alias = str(d.alias) ?? null;
      if (!model || next.plannerModels.some((m) => m.model === model && m.alias === alias)) return next;
      return { ...next, plannerModels: [...next.plannerModels, { alias, model }] };
    }
    case 'llm.repair': {
      // The answer was unusable and the model is asked again: what streamed so far is void.
      return { ...next, llmText: '' };
    }
    case 'llm.delta': {
      return { ...next, llmText: next.llmText + (str(d.text) ?? str(d.delta) ?? '') };
    }
    case 'error': {
      // A failed attempt is a line of the log (`error` when final, `orchard` when it will retry).
      const retrying = d.willRetry === true;
      next = withLogLines(next, event, retrying ? 'orchard' : 'error', failureLines(event));
      if (retrying) return next;
      return { ...next, error: str(d.message) ?? next.error, errorStep: event.step ?? next.errorStep };
    }
    case 'complete': {
      const run = num(d.run) ?? next.run;
      const error = d.error as { message?: unknown; step?: unknown } | undefined;
      next = {
        ...next,
        status: (str(d.status) as OperationStatus) ?? next.status,
        output: d.output ?? next.output,
        error: str(error?.message) ?? next.error,
        errorStep: str(error?.step) ?? next.errorStep,
      };
      return run >= next.run ? { ...next, done: true } : next;
    }
    default:
      return next;
  }
}

/** Overall progress 0..1 of an operation: the mean of its top-level steps. */
export function overallFraction(state: Pick<LiveOperation, 'steps'>): number {
  if (!state.steps.length) return 0;
  const sum = state.steps.reduce((acc, s) => acc + (s.status === 'succeeded' ? 1 : (s.fraction ?? 0)), 0);
  return sum / state.steps.length;
}

export const TERMINAL_STATUSES = new Set(['succeeded', 'failed', 'cancelled']);
