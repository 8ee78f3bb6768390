import { z } from 'zod';

/** Every event a person can be told about, in the order the settings page lists them. */
export const NOTIFICATION_KINDS = [
  'build_failed',
  'build_fixed',
  'pipeline_failed',
  'pipeline_fixed',
  'merge_request_opened',
  'review_requested',
  'comment_mention',
  'deploy_finished',
  'publish_finished',
  'alert_fired',
  'alert_resolved',
  'budget_reached',
  'agent_needs_input',
  'error_group_new',
  'workflow_approval',
  'workflow_message',
] as const;
export const NotificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKind>;

interface KindInfo {
  label: string;
  /** Email is on unless the person turns it off (in-app always starts on). */
  emailByDefault: boolean;
  /** The project webhook event that already carries this event, if one does. */
  webhookEvent: 'merge_request' | 'pipeline' | 'issue' | null;
}

export const KIND_INFO: Record<NotificationKind, KindInfo> = {
  build_failed: { label: 'A build failed', emailByDefault: true, webhookEvent: null },
  build_fixed: { label: 'A build passed after failing', emailByDefault: false, webhookEvent: null },
  pipeline_failed: { label: 'A pipeline failed', emailByDefault: true, webhookEvent: 'pipeline' },
  pipeline_fixed: {
    label: 'A pipeline passed after failing',
    emailByDefault: false,
    webhookEvent: 'pipeline',
  },
  merge_request_opened: {
    label: 'A merge request was opened',
    emailByDefault: false,
    webhookEvent: 'merge_request',
  },
  review_requested: {
    label: 'Your review is requested',
    emailByDefault: true,
    webhookEvent: 'merge_request',
  },
  comment_mention: { label: 'Someone mentioned you', emailByDefault: true, webhookEvent: null },
  deploy_finished: { label: 'A deploy finished', emailByDefault: false, webhookEvent: null },
  publish_finished: { label: 'A publish to production finished', emailByDefault: false, webhookEvent: null },
  alert_fired: { label: 'An alert fired', emailByDefault: true, webhookEvent: null },
  alert_resolved: { label: 'An alert resolved', emailByDefault: false, webhookEvent: null },
  budget_reached: { label: 'An LLM budget was reached', emailByDefault: true, webhookEvent: null },
  agent_needs_input: {
    label: 'An agent session needs your input',
    emailByDefault: false,
    webhookEvent: null,
  },
  error_group_new: { label: 'A new kind of error appeared', emailByDefault: false, webhookEvent: null },
  workflow_approval: {
    label: 'A workflow waits for your approval',
    emailByDefault: true,
    webhookEvent: null,
  },
  workflow_message: { label: "A workflow's notify step", emailByDefault: false, webhookEvent: null },
};

/** What a person gets for a kind when they have not chosen. */
export function defaultPreference(kind: NotificationKind) {
  return { inApp: true, email: KIND_INFO[kind].emailByDefault };
}
