/** LISTEN/NOTIFY channel: the payload is the id of a person whose inbox changed. */
export const INBOX_CHANNEL = 'notification_inbox';
