/** LISTEN/NOTIFY channel: the payload is `<project id>:<message id>` of a message just kept. */
export const MAILBOX_CHANNEL = 'services_mailbox';
