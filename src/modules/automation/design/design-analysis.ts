import type { RawStyles } from './page-styles.ts';
import { buildPalette, type Palette } from './palette.ts';

export interface TypeFace {
  /** The computed `font-family` list, as the page declares it. */
  family: string;
  /** Its part of all text, by characters, 0..1. */
  share: number;
  heading: boolean;
  body: boolean;
}

export interface TypeSize {
  px: number;
  share: number;
  heading: boolean;
  body: boolean;
}

/** The fonts and sizes a page sets its text in, and which it uses for headings and for body text. */
export interface TypeScale {
  families: TypeFace[];
  /** Largest first. */
  sizes: TypeSize[];
  body: { family: string; px: number } | null;
  headings: { family: string; sizes: number[] } | null;
}

/** A length in use (`16px`, `50%`) and how often. */
export interface Measure {
  value: string;
  count: number;
}

/** What a design reference shows: its palette, and for a page also its type scale, spacing and radii. */
export interface DesignAnalysis {
  palette: Palette;
  typography: TypeScale | null;
  /** The most common margins, paddings and gaps, smallest first. */
  spacing: Measure[];
  /** The most common border radii, smallest first. */
  radii: Measure[];
}

const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : 0);

function typeScale(raw: RawStyles): TypeScale | null {
  const fonts = Object.entries(raw.fonts);
  const sizes = Object.entries(raw.sizes).map(([px, use]) => [Number(px), use] as const);
  const chars = fonts.reduce((sum, [, use]) => sum + use.heading + use.body, 0);
  if (!chars) return null;
  const top = <K>(list: (readonly [K, { heading: number; body: number }])[], part: 'heading' | 'body') =>
    list.filter(([, use]) => use[part] > 0).sort((a, b) => b[1][part] - a[1][part])[0]?.[0];
  const bodyFamily = top(fonts, 'body');
  const bodySize = top(sizes, 'body');
  const headingFamily = top(fonts, 'heading');
  return {
    families: fonts
      .sort((a, b) => b[1].heading + b[1].body - (a[1].heading + a[1].body))
      .slice(0, 8)
      .map(([family, use]) => ({
        family,
        share: share(use.heading + use.body, chars),
        heading: use.heading > 0,
        body: use.body > 0,
      })),
    sizes: sizes
      .sort((a, b) => b[0] - a[0])
      .slice(0, 16)
      .map(([px, use]) => ({
        px,
        share: share(use.heading + use.body, chars),
        heading: use.heading > 0,
        body: use.body > 0,
      })),
    body: bodyFamily !== undefined && bodySize !== undefined ? { family: bodyFamily, px: bodySize } : null,
    headings:
      headingFamily !== undefined
        ? {
            family: headingFamily,
            sizes: sizes
              .filter(([, use]) => use.heading > 0)
              .map(([px]) => px)
              .sort((a, b) => b - a),
          }
        : null,
  };
}

/** The `limit` most frequent values, then ordered by size (`4px` before `16px`). */
function common(counts: Record<string, number>, unit: string, limit: number): Measure[] {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || Number.parseFloat(a[0]) - Number.parseFloat(b[0]))
    .slice(0, limit)
    .map(([value, count]) => ({ value: /[a-z%]$/.test(value) ? value : `${value}${unit}`, count }))
    .sort((a, b) => Number.parseFloat(a.value) - Number.parseFloat(b.value));
}

/** Turns what the page's styles showed into its palette (with roles), type scale, spacing and radii. */
export function analyzePageStyles(raw: RawStyles): DesignAnalysis {
  return {
    palette: buildPalette(Object.entries(raw.colors).map(([hex, use]) => ({ hex, ...use, image: 0 }))),
    typography: typeScale(raw),
    spacing: common(raw.spacing, 'px', 6),
    radii: common(raw.radii, '', 4),
  };
}
