import type { NotificationRow } from './notification-store.ts';
import type { NotificationView } from './schemas.ts';

export function toNotificationView(row: NotificationRow): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    projectId: row.project_id,
    title: row.title,
    body: row.body,
    link: row.link,
    read: row.read_at !== null,
    email: row.email_status,
    createdAt: row.created_at.toISOString(),
  };
}
