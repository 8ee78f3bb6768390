import { z } from 'zod';
import { ServiceId } from './catalog.ts';

export const SlugParams = z.object({ slug: z.string().min(1).max(100) });
export const ServiceParams = SlugParams.extend({ id: ServiceId });

const EnvVar = z.object({ name: z.string(), description: z.string() });

/** One entry of the catalog, as this instance offers it. */
export const CatalogEntry = z.object({
  id: ServiceId,
  name: z.string(),
  description: z.string(),
  env: z.array(EnvVar),
  builtIn: z.boolean(),
  integration: z.boolean(),
  available: z.boolean(),
  /** Why it is not available here, when it is not. */
  unavailableReason: z.string().nullable(),
});
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const CatalogView = z.object({ items: z.array(CatalogEntry) });

/** A catalog entry as a project has it. */
export const ProjectServiceView = CatalogEntry.extend({
  attached: z.boolean(),
  attachedAt: z.iso.datetime().nullable(),
  /** Email: production mail is also sent on through Orchard's SMTP server. */
  relayProduction: z.boolean().nullable(),
});
export type ProjectServiceView = z.infer<typeof ProjectServiceView>;
export const ProjectServiceList = z.object({ items: z.array(ProjectServiceView) });

export const AttachBody = z.object({
  id: ServiceId,
  /** Email only: send production's mail on through Orchard's SMTP server (default off: kept in the mailbox). */
  relayProduction: z.boolean().optional(),
});
export type AttachBody = z.infer<typeof AttachBody>;

// ── Mailbox ──

export const MailboxQuery = z.object({
  env: z.string().min(1).max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type MailboxQuery = z.infer<typeof MailboxQuery>;

export const MailSummary = z.object({
  id: z.uuid(),
  environment: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  headerFrom: z.string(),
  headerTo: z.string(),
  subject: z.string(),
  preview: z.string(),
  hasHtml: z.boolean(),
  sizeBytes: z.number(),
  relay: z.enum(['kept', 'relayed', 'failed']),
  relayError: z.string().nullable(),
  receivedAt: z.iso.datetime(),
});
export type MailSummary = z.infer<typeof MailSummary>;

export const MailboxPage = z.object({ items: z.array(MailSummary), nextCursor: z.string().nullable() });

export const MailMessage = MailSummary.extend({ text: z.string().nullable(), html: z.string().nullable() });
export type MailMessage = z.infer<typeof MailMessage>;

export const MailParams = SlugParams.extend({ id: z.uuid() });

export const MailboxClearQuery = z.object({ env: z.string().min(1).max(300).optional() });
export const MailboxCleared = z.object({ deleted: z.number().int() });

export const MailboxLatest = z.object({ latest: MailSummary.nullable() });

// ── Analytics ──

const Day = z.iso.date().refine((d) => d >= '2000-01-01', 'must be 2000-01-01 or later');

export const AnalyticsQuery = z.object({
  env: z.string().min(1).max(300).optional(),
  /** First day counted (UTC), default 29 days before `to`. */
  from: Day.optional(),
  /** Last day counted (UTC), default today. */
  to: Day.optional(),
});
export type AnalyticsQuery = z.infer<typeof AnalyticsQuery>;

export const AnalyticsStats = z.object({
  from: Day,
  to: Day,
  environment: z.string().nullable(),
  total: z.number().int(),
  days: z.array(z.object({ day: Day, views: z.number().int() })),
  topPaths: z.array(z.object({ path: z.string(), views: z.number().int() })),
});
export type AnalyticsStats = z.infer<typeof AnalyticsStats>;

// ── Integrate ──

export const IntegrateStarted = z.object({
  operationId: z.uuid(),
  branch: z.string(),
});
