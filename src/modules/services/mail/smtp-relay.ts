import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Logger } from '../../../platform/log.ts';
import { sharedSocketPath, shareSocket } from '../../../platform/net/shared-socket.ts';

/** Who a connection authenticated as: the environment its login belongs to. */
export interface RelayLogin {
  environmentId: string;
  projectId: string;
}

export interface ReceivedEnvelope {
  from: string;
  to: string[];
}

export interface MailRelayOptions {
  host: string;
  /** 0: any free port; a taken one falls back to a free port (logged). */
  port: number;
  maxMessageBytes: number;
  logger: Logger;
  authenticate(username: string, password: string): Promise<RelayLogin | undefined>;
  /** Stores an accepted message; the id is told to the client. A throw refuses it (451). */
  receive(login: RelayLogin, envelope: ReceivedEnvelope, raw: Buffer): Promise<{ id: string }>;
}

/** Where the relay listens: TCP on the host, and a Unix socket a sandbox's relay leads to. */
export interface RelayAddress {
  host: string;
  port: number;
  socket: string;
}

const AUTH_FAILED = Object.assign(new Error('Authentication failed: check SMTP_USER and SMTP_PASSWORD'), {
  responseCode: 535,
});

/**
 * Orchard's SMTP listener for deployed apps: AUTH PLAIN or LOGIN with an environment's
 * credentials is required before MAIL FROM; each message (at most `maxMessageBytes`) is handed to
 * `receive` under the environment that logged in, whatever its From says. Plain SMTP: the listener
 * is on loopback and on a Unix socket, never on a network.
 */
export class MailRelay {
  private servers: SMTPServer[] = [];
  private dir: string | undefined;
  private bound: RelayAddress | undefined;

  constructor(private readonly o: MailRelayOptions) {}

  /** The listener's address once it listens. */
  address(): RelayAddress | undefined {
    return this.bound;
  }

  async listen(): Promise<RelayAddress> {
    if (this.bound) return this.bound;
    const tcp = this.server();
    const port = await listenTcp(tcp, this.o.host, this.o.port).catch(
      async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EADDRINUSE' || this.o.port === 0) throw error;
        this.o.logger.warn(
          { port: this.o.port },
          'services: the SMTP port is taken; the email relay listens on a free port instead',
        );
        return listenTcp(tcp, this.o.host, 0);
      },
    );
    const { dir, socket } = await sharedSocketPath('smtp', 'smtp.sock');
    this.dir = dir;
    const unix = this.server();
    await new Promise<void>((resolve, reject) => {
      unix.server.once('error', reject);
      unix.listen(socket, () => resolve());
    });
    await shareSocket(socket);
    this.bound = { host: this.o.host, port, socket };
    return this.bound;
  }

  async close(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    this.bound = undefined;
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  private server(): SMTPServer {
    const o = this.o;
    const options: SMTPServerOptions = {
      name: 'orchard',
      banner: 'Orchard mail relay',
      logger: false,
      authMethods: ['PLAIN', 'LOGIN'],
      // Loopback and a Unix socket only: there is no network to protect the password from.
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      disableReverseLookup: true,
      size: o.maxMessageBytes,
      maxClients: 200,
      socketTimeout: 60_000,
      closeTimeout: 2_000,
      onAuth(auth, _session, callback) {
        o.authenticate(auth.username ?? '', auth.password ?? '').then(
          (login) => (login ? callback(null, { user: login }) : callback(AUTH_FAILED)),
          (error: Error) => {
            o.logger.error({ err: error }, 'services: SMTP login check failed');
            callback(Object.assign(new Error('Try again later'), { responseCode: 454 }));
          },
        );
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (stream.sizeExceeded)
            return callback(
              Object.assign(new Error(`Message too large: at most ${o.maxMessageBytes} bytes`), {
                responseCode: 552,
              }),
            );
          const login = session.user as unknown as RelayLogin | undefined;
          if (!login) return callback(Object.assign(new Error('Authenticate first'), { responseCode: 530 }));
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          o.receive(login, envelope, Buffer.concat(chunks)).then(
            ({ id }) => callback(null, `Kept in Orchard's mailbox as ${id}`),
            (error: Error) => {
              o.logger.error({ err: error }, 'services: storing a relayed message failed');
              callback(
                Object.assign(new Error('Could not store the message; try again'), { responseCode: 451 }),
              );
            },
          );
        });
      },
    };
    const server = new SMTPServer(options);
    server.on('error', (error) => o.logger.debug({ err: error }, 'services: SMTP connection error'));
    this.servers.push(server);
    return server;
  }
}

function listenTcp(server: SMTPServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    server.server.once('error', fail);
    server.listen(port, host, () => {
      server.server.off('error', fail);
      resolve((server.server.address() as AddressInfo).port);
    });
  });
}
