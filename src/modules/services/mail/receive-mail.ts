import { withTransaction } from '../../../platform/db/pool.ts';
import { findEnvironment } from '../../deploy/index.ts';
import { findAttachment } from '../attachment-store.ts';
import type { ServicesDeps } from '../deps.ts';
import { EmailSettings } from '../service-settings.ts';
import { MAILBOX_CHANNEL } from './mailbox-channel.ts';
import { insertMail, markRelayed, pruneMailbox } from './mailbox-store.ts';
import { parseMail } from './parse-mail.ts';
import type { ReceivedEnvelope, RelayLogin } from './smtp-relay.ts';

/** A message going out through Orchard's own SMTP server: the envelope and the bytes as the app sent them. */
export interface OutgoingRaw {
  from: string;
  to: string[];
  raw: Buffer;
}

/** Sends a production message on (the composition root gives the notify module's sender). */
export type RelayOut = (mail: OutgoingRaw) => Promise<void>;

/**
 * A message the relay accepted from an environment's app: parsed, kept in the project's mailbox
 * under that environment (the newest `keepPerEnvironment`), announced on the bus for live
 * mailboxes. From production, when the project opted in, it is also sent on through Orchard's SMTP
 * server — one attempt, whose outcome the message shows.
 */
export async function receiveMail(
  deps: ServicesDeps & { relayOut?: RelayOut },
  login: RelayLogin,
  envelope: ReceivedEnvelope,
  raw: Buffer,
): Promise<{ id: string }> {
  const env = await findEnvironment(deps.db, login.environmentId);
  if (!env) throw new Error(`The environment ${login.environmentId} no longer exists.`);
  const parsed = parseMail(raw);
  const row = await withTransaction(deps.db, async (tx) => {
    const kept = await insertMail(tx, {
      projectId: login.projectId,
      environmentId: env.id,
      environmentName: env.name,
      envelopeFrom: envelope.from,
      envelopeTo: envelope.to,
      headerFrom: parsed.from,
      headerTo: parsed.to,
      subject: parsed.subject,
      text: parsed.text,
      html: parsed.html,
      sizeBytes: raw.length,
      receivedAt: deps.clock.now(),
    });
    await pruneMailbox(tx, env.id, deps.config.services.smtp.keepPerEnvironment);
    await tx.query('SELECT pg_notify($1, $2)', [MAILBOX_CHANNEL, `${login.projectId}:${kept.id}`]);
    return kept;
  });
  if (env.kind === 'production' && deps.relayOut) {
    const attachment = await findAttachment(deps.db, login.projectId, 'email');
    if (attachment && EmailSettings.parse(attachment.settings).relayProduction) {
      const relayOut = deps.relayOut;
      void relayOut({ from: envelope.from, to: envelope.to, raw })
        .then(
          () => markRelayed(deps.db, row.id, null),
          (error: Error) => markRelayed(deps.db, row.id, error.message.slice(0, 1_000)),
        )
        .catch((error) => deps.logger.warn({ err: error }, 'services: recording a relay outcome failed'));
    }
  }
  return { id: row.id };
}
