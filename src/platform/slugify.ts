/**
 * A lowercase URL slug of free text, at most 48 characters: `Crème brûlée!` → `creme-brulee`;
 * `fallback` when nothing is left (`!!!`).
 */
export function slugify(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
  return slug || fallback;
}
