/** URL-safe project slugs: lowercase letters, digits and single dashes, 1–48 characters. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;
/** Names the UI and API use as path segments. */
export const RESERVED_SLUGS = new Set([
  'api',
  'git',
  'new',
  'admin',
  'settings',
  'login',
  'setup',
  'static',
  'assets',
]);
