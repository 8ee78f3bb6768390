import { readFileSync } from 'node:fs';
import { MAIL_CLIENT_PATH } from './mail-client.test-support.ts';

/**
 * A tiny deployed app for the email service's tests: it sends through the generated apps' own
 * `lib/mail.js` with what Orchard injected. `GET /send?to=&subject=[&password=]` sends (a password
 * given replaces the injected one), answering 200 with the server's reply or 502 with its refusal;
 * `/env` tells which SMTP_* it got (never the password); `/reach?port=` tries 127.0.0.1:port;
 * any other path is an HTML page. Its server is test/support/__fixtures__/mail-test-server.js.
 */
export const MAIL_TEST_APP: Record<string, string> = {
  'package.json': '{ "type": "module", "private": true }\n',
  'lib/mail.js': readFileSync(MAIL_CLIENT_PATH, 'utf8'),
  '.orchard/app.yml': 'start: node server.js\nhealthPath: /health\n',
  'server.js': readFileSync(
    new URL('../../../../test/support/__fixtures__/mail-test-server.js', import.meta.url),
    'utf8',
  ),
};
