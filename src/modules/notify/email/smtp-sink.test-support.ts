import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** The raw message with quoted-printable soft breaks and escapes undone (enough to read text). */
  decoded: string;
}

/**
 * A real SMTP server on loopback that keeps what it receives. `rejectNext` queues replies for the
 * next messages (`{ code: 451 }` transient, `{ code: 550 }` permanent); then it accepts again.
 */
export async function startSmtpSink() {
  const received: ReceivedMail[] = [];
  const rejectNext: Array<{ code: number; message: string }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const reject = rejectNext.shift();
        if (reject) {
          const error = Object.assign(new Error(reject.message), { responseCode: reject.code });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          decoded: raw
            .replace(/=\r?\n/g, '')
            .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    rejectNext,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
