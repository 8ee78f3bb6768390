import { chroma, contrast, distance } from './colors.ts';

/** How much of one colour a design uses, by kind (all in px² of the page, or pixels of an image). */
export interface ColorUse {
  hex: string;
  background: number;
  text: number;
  border: number;
  /** Part of background or text that belongs to links, buttons and other controls. */
  interactive: number;
  /** Pixels of an uploaded image (no DOM to say what they are). */
  image: number;
}

export const COLOR_ROLES = ['background', 'surface', 'text', 'muted', 'primary', 'accent'] as const;
export type ColorRole = (typeof COLOR_ROLES)[number];
export type ColorUseKind = 'background' | 'text' | 'border' | 'image';

export interface PaletteColor {
  hex: string;
  /** Its part of everything measured, 0..1. */
  share: number;
  uses: ColorUseKind[];
  role?: ColorRole;
}

export interface Palette {
  colors: PaletteColor[];
  roles: Partial<Record<ColorRole, string>>;
}

/**
 * Colours closer than this (CIE76 ΔE) are one colour (#fefefe and #ffffff). Small: a light
 * surface on a light page (#eee8d5 on #fdf6e3) is only about 5 apart.
 */
const SAME_COLOR = 4;
/** Lab chroma above which a colour counts as a brand colour rather than a neutral. */
const CHROMATIC = 25;

const total = (c: ColorUse) => c.background + c.text + c.border + c.image;

/** Merges near-identical colours into the heaviest of them (weights added up). */
export function mergeColors(uses: ColorUse[], below = SAME_COLOR): ColorUse[] {
  const merged: ColorUse[] = [];
  for (const use of [...uses].sort((a, b) => total(b) - total(a))) {
    const into = merged.find((m) => distance(m.hex, use.hex) < below);
    if (!into) {
      merged.push({ ...use });
      continue;
    }
    into.background += use.background;
    into.text += use.text;
    into.border += use.border;
    into.interactive += use.interactive;
    into.image += use.image;
  }
  return merged;
}

function heaviest(list: ColorUse[], by: (c: ColorUse) => number): ColorUse | undefined {
  let best: ColorUse | undefined;
  for (const c of list) if (by(c) > 0 && (!best || by(c) > by(best))) best = c;
  return best;
}

/** Which colour plays which part: the page's background and text, a surface, muted text, brand colours. */
function guessRoles(colors: ColorUse[], sum: number): Partial<Record<ColorRole, ColorUse>> {
  const fromImage = colors.every((c) => c.background + c.text + c.border === 0);
  const roles: Partial<Record<ColorRole, ColorUse>> = {};
  const background = heaviest(colors, fromImage ? (c) => c.image : (c) => c.background);
  if (!background) return roles;
  roles.background = background;
  const others = (...taken: (ColorUse | undefined)[]) => colors.filter((c) => !taken.includes(c));
  const text = fromImage
    ? heaviest(
        others(background).filter((c) => c.image / sum >= 0.02 && contrast(c.hex, background.hex) >= 3),
        (c) => contrast(c.hex, background.hex),
      )
    : heaviest(others(background), (c) => c.text);
  if (text) roles.text = text;
  if (!fromImage && text) {
    const muted = heaviest(
      others(background, text).filter(
        (c) => c.text >= text.text * 0.05 && distance(c.hex, text.hex) >= 8 && chroma(c.hex) < CHROMATIC,
      ),
      (c) => c.text,
    );
    if (muted) roles.muted = muted;
  }
  const surface = heaviest(
    others(background, text).filter(
      (c) => chroma(c.hex) < CHROMATIC && contrast(c.hex, background.hex) < 1.6 && c.background + c.image > 0,
    ),
    (c) => c.background + c.image,
  );
  if (surface) roles.surface = surface;
  const brand = others(background, text, roles.muted, surface).filter((c) => chroma(c.hex) >= CHROMATIC);
  const primary = heaviest(brand, (c) => c.interactive) ?? heaviest(brand, total);
  if (primary) {
    roles.primary = primary;
    const accent = heaviest(
      brand.filter((c) => c !== primary && distance(c.hex, primary.hex) >= 20),
      total,
    );
    if (accent) roles.accent = accent;
  }
  return roles;
}

/**
 * The palette of a design: near-identical colours merged, the `max` most used (by area) with their
 * share, and the colours that play a role (background, surface, text, muted, primary, accent)
 * always among them.
 */
export function buildPalette(uses: ColorUse[], options: { max?: number; mergeBelow?: number } = {}): Palette {
  const colors = mergeColors(
    uses.filter((u) => total(u) > 0),
    options.mergeBelow,
  );
  const sum = colors.reduce((s, c) => s + total(c), 0);
  if (!sum) return { colors: [], roles: {} };
  const roles = guessRoles(colors, sum);
  const roleOf = new Map(Object.entries(roles).map(([role, c]) => [c, role as ColorRole]));
  const top = colors.slice(0, options.max ?? 8);
  for (const c of roleOf.keys()) if (!top.includes(c)) top.push(c);
  return {
    colors: top.map((c) => {
      const role = roleOf.get(c);
      const kinds: ColorUseKind[] = ['background', 'text', 'border', 'image'];
      return {
        hex: c.hex,
        share: Math.round((total(c) / sum) * 10_000) / 10_000,
        uses: kinds.filter((k) => c[k] > 0),
        ...(role ? { role } : {}),
      };
    }),
    roles: Object.fromEntries(Object.entries(roles).map(([role, c]) => [role, c.hex])),
  };
}
