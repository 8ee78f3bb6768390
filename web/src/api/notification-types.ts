/** The notifications API's answers (src/modules/notify/notifications), from the generated openapi.gen.ts. */
import type { Answer, ItemOf, RequestBody } from './openapi-answer.ts';

export type InboxPage = Answer<'/api/me/notifications', 'get'>;
export type AppNotification = ItemOf<InboxPage>;
export type NotificationPreferences = Answer<'/api/me/notifications/preferences', 'get'>;
export type NotificationPreference = NotificationPreferences['items'][number];
export type PreferencesBody = RequestBody<'/api/me/notifications/preferences', 'put'>;
export type SmtpSettings = Answer<'/api/admin/smtp', 'get'>;
export type SmtpBody = RequestBody<'/api/admin/smtp', 'put'>;
