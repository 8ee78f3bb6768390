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

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
  return slug || 'project';
}
