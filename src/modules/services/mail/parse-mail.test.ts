import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { loadMailClient } from './mail-client.test-support.ts';
import { decodeWords, parseMail } from './parse-mail.ts';

const compose = (mail: ConstructorParameters<typeof MailComposer>[0]) =>
  new Promise<Buffer>((resolve, reject) =>
    new MailComposer(mail).compile().build((error, message) => (error ? reject(error) : resolve(message))),
  );

describe('parseMail', () => {
  it('reads what nodemailer composes: encoded headers, text and HTML alternatives, attachments', async () => {
    const raw = await compose({
      from: '"Zoë Ünicode" <zoe@example.com>',
      to: 'ada@example.com, bob@example.com',
      subject: 'Grüße — your code is 123456',
      text: 'Hello Ada,\nyour code is 123456. Ünïcödé survives.\n',
      html: '<p>Hello <b>Ada</b>, your code is <i>123456</i>. Ünïcödé survives.</p>',
      attachments: [{ filename: 'report.pdf', content: Buffer.alloc(2_000, 7) }],
    });
    const mail = parseMail(raw);
    expect(mail.subject).toBe('Grüße — your code is 123456');
    expect(mail.from).toContain('Zoë Ünicode');
    expect(mail.from).toContain('<zoe@example.com>');
    expect(mail.to).toBe('ada@example.com, bob@example.com');
    expect(mail.text).toBe('Hello Ada,\nyour code is 123456. Ünïcödé survives.\n');
    expect(mail.html).toBe('<p>Hello <b>Ada</b>, your code is <i>123456</i>. Ünïcödé survives.</p>');
    expect(mail.attachments).toEqual([
      { filename: 'report.pdf', contentType: 'application/pdf', bytes: 2_000 },
    ]);
  });

  it("reads what the generated apps' lib/mail.js builds", async () => {
    const client = await loadMailClient();
    const raw = client.buildMessage({
      from: 'Shop <no-reply@shop.test>',
      to: ['ada@example.com'],
      subject: 'Bestätigung',
      text: 'Danke!\n.a line starting with a dot',
      html: '<p>Danke!</p>',
    });
    const mail = parseMail(Buffer.from(raw, 'utf8'));
    expect(mail).toMatchObject({
      from: 'Shop <no-reply@shop.test>',
      to: 'ada@example.com',
      subject: 'Bestätigung',
      text: 'Danke!\n.a line starting with a dot',
      html: '<p>Danke!</p>',
      attachments: [],
    });
  });

  it('takes a plain message without MIME headers as text, and a body-less one as empty', () => {
    expect(parseMail(Buffer.from('Subject: hi\r\nFrom: a@b.c\r\n\r\nline one\r\nline two'))).toMatchObject({
      subject: 'hi',
      from: 'a@b.c',
      text: 'line one\nline two',
      html: null,
    });
    expect(parseMail(Buffer.from('Subject: only headers'))).toMatchObject({
      subject: 'only headers',
      text: '',
    });
  });

  it('decodes RFC 2047 words (B and Q, joined across whitespace) and leaves broken ones as they are', () => {
    expect(decodeWords('=?UTF-8?B?R3LDvMOfZQ==?= =?UTF-8?Q?_und_Tsch=C3=BCss?=')).toBe('Grüße und Tschüss');
    expect(decodeWords('=?ISO-8859-1?Q?caf=E9?= au lait')).toBe('café au lait');
    expect(decodeWords('=?UTF-8?X?nope?= plain')).toBe('=?UTF-8?X?nope?= plain');
  });
});
