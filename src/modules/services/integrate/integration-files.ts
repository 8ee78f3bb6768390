import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ServiceId } from '../catalog.ts';

const DIR = fileURLToPath(new URL('../../../../templates/services/', import.meta.url));

/** What integrating a service proposes: files written as they are, and a README section. */
export interface Integration {
  /** Paths relative to the repository, `/` separated. */
  files: Record<string, string>;
  /** Appended to README.md once (found again by its first line). */
  readmeSection: string;
  summary: string;
}

/** The wiring of a service into a generated app (`templates/services/<id>/`); undefined when it needs none. */
export function integrationOf(service: ServiceId): Integration | undefined {
  if (service === 'email')
    return {
      files: { 'lib/mail.js': readFileSync(`${DIR}email/lib/mail.js`, 'utf8') },
      readmeSection: readFileSync(`${DIR}email/README.md`, 'utf8'),
      summary:
        'Adds lib/mail.js (a dependency-free SMTP client reading SMTP_* and MAIL_FROM) and a usage note.',
    };
  if (service === 'signin')
    return {
      files: { 'lib/sign-in.js': readFileSync(`${DIR}signin/lib/sign-in.js`, 'utf8') },
      readmeSection: readFileSync(`${DIR}signin/README.md`, 'utf8'),
      summary:
        'Adds lib/sign-in.js (a dependency-free OpenID Connect client for Orchard’s sign-in: /auth/login, /auth/callback, /auth/logout, user(req)) and how to wire it.',
    };
  return undefined;
}

/** README.md with the section at its end, unless its heading is there already. */
export function withReadmeSection(readme: string | undefined, section: string): string | undefined {
  const heading = section.split('\n', 1)[0]!.trim();
  const current = readme ?? '';
  if (current.split('\n').some((line) => line.trim() === heading)) return undefined;
  return `${current.replace(/\s*$/, current ? '\n\n' : '')}${section}`;
}
