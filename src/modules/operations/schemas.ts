import { z } from 'zod';
import { PageQuery } from '../../platform/http/cursor.ts';
import { int8 } from '../../platform/http/int-params.ts';

export const OperationStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

export const OperationIdParams = z.object({ id: z.uuid('must be an operation id (a UUID)') });
export const ProjectSlugParams = z.object({ slug: z.string().min(1).max(100) });

export const ListOperationsQuery = PageQuery.extend({
  project: z.string().min(1).max(100).optional(),
  status: OperationStatus.optional(),
  kind: z.string().min(1).max(100).optional(),
});

export const StartOperationBody = z.object({
  kind: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()).default({}),
  /** The project slug; operations without one are system operations (admins only). */
  project: z.string().min(1).max(100).optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type StartOperationBody = z.infer<typeof StartOperationBody>;

export const EventsQuery = z.object({
  /** Events with ids above this; `Last-Event-ID` takes precedence. */
  after: int8(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const OperationEventsQuery = EventsQuery.extend({
  /** Only this step's events (and its fan-out children's), with the operation's own. */
  step: z.string().min(1).max(300).optional(),
});

const ErrorView = z.object({ message: z.string() }).passthrough().nullable();

export const OperationView = z.object({
  id: z.string(),
  kind: z.string(),
  status: OperationStatus,
  projectId: z.string().nullable(),
  projectSlug: z.string().nullable(),
  parentOperationId: z.string().nullable(),
  actor: z.object({ id: z.string().nullable(), name: z.string() }),
  traceId: z.string(),
  cancelRequested: z.boolean(),
  run: z.number(),
  error: ErrorView,
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const StepView = z.object({
  key: z.string(),
  step: z.string(),
  status: z.string(),
  parent: z.string().nullable(),
  dependsOn: z.array(z.string()),
  queue: z.string(),
  attempt: z.number(),
  maxAttempts: z.number(),
  runAfter: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: ErrorView,
  output: z.unknown(),
});

export const OperationDetail = OperationView.extend({
  input: z.unknown(),
  output: z.unknown(),
  steps: z.array(StepView),
});

export const EventView = z.object({
  id: z.number(),
  operationId: z.string(),
  step: z.string().nullable(),
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
});

export const Page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
