/**
 * Default design tokens. Autopilot picks one palette per feature name (a stable hash, so the same
 * prompt always looks the same); the scaffold falls back to the first palette for any token the
 * Blueprint leaves out.
 */
import type { DesignTokens } from './blueprint-schema.ts';

const BASE = {
  fonts: {
    heading: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    body: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  },
  fontSizes: { small: '0.875rem', body: '1rem', h3: '1.25rem', h2: '1.5rem', h1: '2rem' },
  radii: { sm: '4px', md: '8px', lg: '16px' },
  spacing: { xs: '4px', sm: '8px', md: '16px', lg: '24px', xl: '48px' },
};

export const PALETTES: readonly DesignTokens['colors'][] = [
  {
    primary: '#2563eb',
    background: '#ffffff',
    surface: '#f1f5f9',
    text: '#0f172a',
    muted: '#64748b',
    accent: '#f59e0b',
  },
  {
    primary: '#059669',
    background: '#fbfdfb',
    surface: '#ecfdf5',
    text: '#14261d',
    muted: '#5b6b63',
    accent: '#db2777',
  },
  {
    primary: '#7c3aed',
    background: '#fdfcff',
    surface: '#f3effd',
    text: '#1e1233',
    muted: '#6b6480',
    accent: '#0ea5e9',
  },
  {
    primary: '#c2410c',
    background: '#fffbf7',
    surface: '#fdf0e6',
    text: '#2b1a10',
    muted: '#7a6355',
    accent: '#0d9488',
  },
];

export const DEFAULT_TOKENS: DesignTokens = { colors: { ...PALETTES[0]! }, ...structuredClone(BASE) };

function hash(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** A complete token set whose palette is chosen by `seed`. */
export function tokensFor(seed: string): DesignTokens {
  const colors = PALETTES[hash(seed.toLowerCase()) % PALETTES.length]!;
  return { colors: { ...colors }, ...structuredClone(BASE) };
}
