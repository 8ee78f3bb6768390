import { z } from 'zod';
import { PageQuery } from '../../../platform/http/cursor.ts';
import { EnvironmentParams } from '../environment-params.ts';

export const ErrorStatus = z.enum(['open', 'resolved', 'ignored']);
export type ErrorStatus = z.infer<typeof ErrorStatus>;

export const SeenReleaseView = z.object({
  /** The deployed release's id; null for Orchard's own version. */
  id: z.string().nullable(),
  /** The release's commit sha, or Orchard's version. */
  label: z.string(),
});

export const ErrorGroupView = z.object({
  id: z.string(),
  /** `environment`: a deployed app's; `instance`: Orchard's own. */
  scope: z.enum(['environment', 'instance']),
  environmentId: z.string().nullable(),
  projectId: z.string().nullable(),
  fingerprint: z.string(),
  type: z.string(),
  message: z.string(),
  count: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  lastStack: z.string().nullable(),
  firstRelease: SeenReleaseView.nullable(),
  lastRelease: SeenReleaseView.nullable(),
  status: ErrorStatus,
  statusChangedAt: z.string().nullable(),
  /** When a resolved group last came back (a regression), and how often it has. */
  regressedAt: z.string().nullable(),
  regressions: z.number(),
});
export type ErrorGroupView = z.infer<typeof ErrorGroupView>;

export const ErrorOccurrenceView = z.object({
  id: z.number(),
  time: z.string(),
  message: z.string(),
  stack: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  traceId: z.string().nullable(),
  spanId: z.string().nullable(),
  release: SeenReleaseView.nullable(),
});
export type ErrorOccurrenceView = z.infer<typeof ErrorOccurrenceView>;

export const ErrorGroupList = z.object({ items: z.array(ErrorGroupView), nextCursor: z.string().nullable() });
export const ErrorGroupDetail = z.object({
  group: ErrorGroupView,
  /** The newest occurrences kept (at most 50), newest first. */
  occurrences: z.array(ErrorOccurrenceView),
});

export const ErrorGroupsQuery = PageQuery.extend({ status: ErrorStatus.optional() });
export type ErrorGroupsQuery = z.infer<typeof ErrorGroupsQuery>;

export const EnvErrorGroupParams = EnvironmentParams.extend({ id: z.uuid() });
export const ErrorGroupIdParams = z.object({ id: z.uuid() });

export const ErrorStatusBody = z.object({ status: ErrorStatus });

/** What the UI's reporter sends about an error in Orchard's own pages. */
export const BrowserErrorBody = z.strictObject({
  type: z.string().trim().min(1).max(200).default('Error'),
  message: z.string().max(2_000),
  stack: z.string().max(16_000).optional(),
  /** The page (path and query of Orchard's UI) the error happened on. */
  url: z.string().max(2_000).optional(),
  /** `error`, `unhandledrejection` or `react` (an error boundary). */
  source: z.enum(['error', 'unhandledrejection', 'react']),
  componentStack: z.string().max(8_000).optional(),
});
export type BrowserErrorBody = z.infer<typeof BrowserErrorBody>;
export const BrowserErrorAccepted = z.object({ groupId: z.string() });
