import { z } from 'zod';
import { PageQuery } from '../../../platform/http/cursor.ts';
import { NOTIFICATION_KINDS, NotificationKind } from './kinds.ts';

export const NotificationView = z.object({
  id: z.string(),
  kind: z.string(),
  projectId: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  read: z.boolean(),
  email: z.enum(['none', 'pending', 'sent', 'failed']),
  createdAt: z.string(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const InboxQuery = PageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});
export type InboxQuery = z.infer<typeof InboxQuery>;

export const InboxPage = z.object({
  items: z.array(NotificationView),
  nextCursor: z.string().nullable(),
  unreadCount: z.number(),
});
export type InboxPage = z.infer<typeof InboxPage>;

export const NotificationParams = z.object({ id: z.uuid() });
export const UnreadView = z.object({ unreadCount: z.number() });

export const PreferenceView = z.object({
  kind: NotificationKind,
  label: z.string(),
  inApp: z.boolean(),
  email: z.boolean(),
  /** The project webhook event that carries this kind too, if any. */
  webhookEvent: z.string().nullable(),
});
export const PreferencesView = z.object({ items: z.array(PreferenceView), emailConfigured: z.boolean() });
export type PreferencesView = z.infer<typeof PreferencesView>;

export const PreferencesBody = z.object({
  items: z
    .array(z.object({ kind: NotificationKind, inApp: z.boolean(), email: z.boolean() }))
    .min(1, 'name at least one kind')
    .max(NOTIFICATION_KINDS.length)
    .refine((items) => new Set(items.map((i) => i.kind)).size === items.length, 'name each kind once'),
});
export type PreferencesBody = z.infer<typeof PreferencesBody>;
