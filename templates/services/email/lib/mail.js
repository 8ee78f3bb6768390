/**
 * Sends email over SMTP with no dependency (node:net and node:tls only). Settings come from the
 * environment Orchard gives an app with the email service attached: SMTP_URL (or SMTP_HOST,
 * SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_SECURE) and MAIL_FROM. In Orchard the relay keeps every
 * message in the project's mailbox (Services → Mailbox) instead of delivering it.
 *
 *   import { sendMail } from './lib/mail.js';
 *   await sendMail({ to: 'ada@example.com', subject: 'Welcome', text: 'Hello!', html: '<p>Hello!</p>' });
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import tls from 'node:tls';

const TIMEOUT_MS = 15_000;

/** The SMTP server and login from the environment; undefined when none is configured. */
export function mailSettings(env = process.env) {
  if (env.SMTP_URL) {
    const url = new URL(env.SMTP_URL);
    const secure = url.protocol === 'smtps:';
    return {
      host: url.hostname,
      port: Number(url.port || (secure ? 465 : 587)),
      secure,
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      from: env.MAIL_FROM || '',
    };
  }
  if (!env.SMTP_HOST) return undefined;
  const secure = env.SMTP_SECURE === 'true';
  return {
    host: env.SMTP_HOST,
    port: Number(env.SMTP_PORT || (secure ? 465 : 587)),
    secure,
    user: env.SMTP_USER || '',
    password: env.SMTP_PASSWORD || '',
    from: env.MAIL_FROM || '',
  };
}

/** `Ada <ada@example.com>` → `ada@example.com`. */
export function addressOf(text) {
  const inAngles = /<([^<>\s]+)>/.exec(String(text));
  return (inAngles ? inAngles[1] : String(text)).trim();
}

const oneLine = (value) => String(value ?? '').replace(/[\r\n]+/g, ' ');

/** A header value as RFC 2047 encoded words when it is not plain ASCII. */
function encodeHeader(value) {
  const text = oneLine(value);
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

function base64Lines(text) {
  return (
    Buffer.from(String(text), 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
}

/** The message as RFC 5322 text: plain text, or text and HTML as multipart/alternative. */
export function buildMessage({ from, to, subject, text, html, replyTo }) {
  const recipients = Array.isArray(to) ? to : [to];
  const domain = addressOf(from).split('@')[1] || 'localhost';
  const headers = [
    `From: ${encodeHeader(from)}`,
    `To: ${recipients.map(encodeHeader).join(', ')}`,
    `Subject: ${encodeHeader(subject ?? '')}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomBytes(12).toString('hex')}@${domain}>`,
    'MIME-Version: 1.0',
  ];
  if (replyTo) headers.push(`Reply-To: ${encodeHeader(replyTo)}`);
  const part = (type, body) =>
    [`Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', base64Lines(body)].join(
      '\r\n',
    );
  if (!html) return `${headers.join('\r\n')}\r\n${part('text/plain', text ?? '')}\r\n`;
  const boundary = `=_${randomBytes(12).toString('hex')}`;
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    part('text/plain', text ?? html.replace(/<[^>]*>/g, '')),
    `--${boundary}`,
    part('text/html', html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** One SMTP conversation: reads replies (multi-line ones whole) and sends commands. */
function conversation(socket) {
  let buffer = '';
  const waiting = [];
  const replies = [];
  let failure;
  const settle = () => {
    while (waiting.length && (replies.length || failure)) {
      const next = waiting.shift();
      if (replies.length) next.resolve(replies.shift());
      else next.reject(failure);
    }
  };
  const onData = (chunk) => {
    buffer += chunk.toString('utf8');
    const lines = buffer.split('\r\n');
    buffer = lines.pop() ?? '';
    let current = [];
    for (const line of lines) {
      current.push(line);
      if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) {
        replies.push({ code: Number(line.slice(0, 3)), text: current.join('\n') });
        current = [];
      }
    }
    if (current.length) buffer = `${current.join('\r\n')}\r\n${buffer}`;
    settle();
  };
  const onEnd = (error) => {
    failure = error ?? new Error('The SMTP server closed the connection');
    settle();
  };
  const attach = (s) => {
    s.on('data', onData);
    s.on('error', onEnd);
    s.on('close', () => onEnd());
    s.setTimeout(TIMEOUT_MS, () => s.destroy(new Error('The SMTP server did not answer in time')));
  };
  attach(socket);
  const reply = () =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve, reject });
      settle();
    });
  return {
    reply,
    async command(line, expected) {
      if (line !== undefined) socket.write(`${line}\r\n`);
      const answer = await reply();
      if (!expected.includes(answer.code)) {
        const shown = /^AUTH /.test(line ?? '') ? 'AUTH' : line;
        throw Object.assign(new Error(`SMTP ${shown ?? 'greeting'}: ${answer.text}`), { code: answer.code });
      }
      return answer;
    },
    /** After STARTTLS: the same conversation over the TLS socket. */
    upgrade(secure) {
      socket.off('data', onData);
      socket = secure;
      attach(secure);
    },
    get socket() {
      return socket;
    },
  };
}

function connect(settings) {
  return new Promise((resolve, reject) => {
    const options = { host: settings.host, port: settings.port, servername: settings.host };
    const socket = settings.secure ? tls.connect(options) : net.connect(options);
    socket.once(settings.secure ? 'secureConnect' : 'connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Sends one message; resolves with the server's last answer, rejects with the server's words on a
 * refusal (wrong login, bad recipient) or when it cannot be reached.
 */
export async function sendMail(message, settings = mailSettings()) {
  if (!settings) throw new Error('Email is not configured: SMTP_URL or SMTP_HOST is not set.');
  const from = message.from || settings.from;
  if (!from) throw new Error('A sender is needed: pass from, or set MAIL_FROM.');
  const to = (Array.isArray(message.to) ? message.to : [message.to]).filter(Boolean);
  if (!to.length) throw new Error('A recipient is needed.');
  const socket = await connect(settings);
  const smtp = conversation(socket);
  try {
    await smtp.command(undefined, [220]);
    let hello = await smtp.command(`EHLO ${os.hostname() || 'localhost'}`, [250]);
    const local = ['127.0.0.1', 'localhost', '::1'].includes(settings.host);
    if (!settings.secure && !local && /STARTTLS/i.test(hello.text)) {
      await smtp.command('STARTTLS', [220]);
      const secure = tls.connect({ socket: smtp.socket, servername: settings.host });
      await new Promise((resolve, reject) => {
        secure.once('secureConnect', resolve);
        secure.once('error', reject);
      });
      smtp.upgrade(secure);
      hello = await smtp.command(`EHLO ${os.hostname() || 'localhost'}`, [250]);
    }
    if (settings.user) {
      const token = Buffer.from(`\0${settings.user}\0${settings.password}`, 'utf8').toString('base64');
      await smtp.command(`AUTH PLAIN ${token}`, [235]);
    }
    await smtp.command(`MAIL FROM:<${addressOf(from)}>`, [250]);
    for (const rcpt of to) await smtp.command(`RCPT TO:<${addressOf(rcpt)}>`, [250, 251]);
    await smtp.command('DATA', [354]);
    const body = buildMessage({ ...message, from, to })
      .split('\r\n')
      .map((line) => (line.startsWith('.') ? `.${line}` : line))
      .join('\r\n');
    const done = await smtp.command(`${body}\r\n.`, [250]);
    await smtp.command('QUIT', [221]).catch(() => undefined);
    return { accepted: to.map(addressOf), response: done.text };
  } finally {
    smtp.socket.destroy();
  }
}
