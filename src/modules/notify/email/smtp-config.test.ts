import { expect, it } from 'vitest';
import { loadConfig } from '../../../config.ts';

it('reads the SMTP settings from the environment, the password through env:NAME', () => {
  const config = loadConfig({
    cwd: '/tmp',
    env: {
      ORCHARD_SMTP_HOST: 'mail.example.test',
      ORCHARD_SMTP_PORT: '465',
      ORCHARD_SMTP_SECURE: 'true',
      ORCHARD_SMTP_USER: 'orchard',
      ORCHARD_SMTP_PASSWORD: 'env:MAIL_PASSWORD',
      ORCHARD_SMTP_FROM: 'Orchard <orchard@example.test>',
      MAIL_PASSWORD: 'from-the-environment',
    },
  });
  expect(config.smtp).toEqual({
    host: 'mail.example.test',
    port: 465,
    secure: true,
    user: 'orchard',
    password: 'from-the-environment',
    from: 'Orchard <orchard@example.test>',
  });
});

it('says which variable is missing, without any value', () => {
  expect(() =>
    loadConfig({
      cwd: '/tmp',
      env: { ORCHARD_SMTP_HOST: 'h', ORCHARD_SMTP_FROM: 'o@example.test', ORCHARD_SMTP_PASSWORD: 'env:NOPE' },
    }),
  ).toThrow('smtp.password: names the environment variable NOPE, which is not set');
});
