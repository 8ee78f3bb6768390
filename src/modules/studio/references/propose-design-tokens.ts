import type { z } from 'zod';
import { COLOR_ROLES, type DesignAnalysis, type Measure, type TypeScale } from '../../automation/index.ts';
import { Color, Font, type JsonPatch, Length } from '../../blueprint/index.ts';
import type { ReferenceSource } from './reference-schemas.ts';

/** Design tokens proposed from a reference: only what it showed, named as the Blueprint names them. */
export interface ProposedTokens {
  colors: Record<string, string>;
  fonts: Record<string, string>;
  fontSizes: Record<string, string>;
  radii: Record<string, string>;
  spacing: Record<string, string>;
}

/** The Blueprint holds at most this many references; a fuller one gets the tokens without a new entry. */
const MAX_REFERENCES = 50;
const PILL = 999;

/** Names for n lengths, smallest first, centred on `md` (3 radii → sm, md, lg). */
const SCALE: Record<'radii' | 'spacing', string[][]> = {
  radii: [[], ['md'], ['sm', 'md'], ['sm', 'md', 'lg']],
  spacing: [
    [],
    ['md'],
    ['sm', 'md'],
    ['sm', 'md', 'lg'],
    ['xs', 'sm', 'md', 'lg'],
    ['xs', 'sm', 'md', 'lg', 'xl'],
  ],
};

function valid(schema: z.ZodType<string>, value: string): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * A computed font list as a token: the families a CSS font token may name (a family with other
 * characters is left out, not mangled), as many as fit in 120 characters.
 */
function fontToken(family: string): string | undefined {
  let list = family
    .split(',')
    .map((f) => f.replace(/\s+/g, ' ').trim())
    .filter((f) => /^[A-Za-z0-9 '"-]+$/.test(f))
    .join(', ');
  while (list.length > 120 && list.includes(',')) list = list.slice(0, list.lastIndexOf(',')).trim();
  return valid(Font, list);
}

function named(measures: Measure[], scale: 'radii' | 'spacing', limit: number): Record<string, string> {
  // The most used ones, then smallest first, so the names grow with the values.
  const picked = measures
    .filter((m) => valid(Length, m.value))
    .sort((a, b) => b.count - a.count)
    .slice(0, limit)
    .sort((a, b) => Number.parseFloat(a.value) - Number.parseFloat(b.value));
  const names = SCALE[scale][picked.length] ?? [];
  return Object.fromEntries(picked.map((m, i) => [names[i]!, m.value]));
}

const HEADINGS = ['h1', 'h2', 'h3'] as const;
/** Text smaller than this is a footnote or a badge, not the scale's `small`. */
const SMALLEST = 10;

const px = (value: number) => valid(Length, `${Math.round(value * 100) / 100}px`);

/**
 * The type scale as tokens: `body` is the size most body text is set in, `small` the most used
 * smaller size of body text, `h1`–`h3` the largest heading sizes above the body's, largest first.
 */
function fontSizes(type: TypeScale | null): Record<string, string> {
  const body = type?.body;
  if (!body) return {};
  const out: Record<string, string> = {};
  const set = (name: string, value: number) => {
    const length = px(value);
    if (length) out[name] = length;
  };
  set('body', body.px);
  const small = type.sizes
    .filter((s) => s.body && s.px < body.px && s.px >= SMALLEST)
    .sort((a, b) => b.share - a.share)[0];
  if (small) set('small', small.px);
  const headings = [...new Set(type.headings?.sizes ?? [])].filter((s) => s > body.px).sort((a, b) => b - a);
  HEADINGS.forEach((name, i) => {
    if (headings[i] !== undefined) set(name, headings[i]);
  });
  return out;
}

/** Turns what a reference showed into Blueprint design tokens: colours by role, fonts, sizes, radii, spacing. */
export function proposeDesignTokens(analysis: DesignAnalysis): ProposedTokens {
  const colors: Record<string, string> = {};
  for (const role of COLOR_ROLES) {
    const hex = analysis.palette.roles[role];
    const value = hex && valid(Color, hex);
    if (value) colors[role] = value;
  }
  const fonts: Record<string, string> = {};
  const body = analysis.typography?.body && fontToken(analysis.typography.body.family);
  const heading = analysis.typography?.headings && fontToken(analysis.typography.headings.family);
  if (heading) fonts.heading = heading;
  if (body) fonts.body = body;
  const pill = (m: Measure) => m.value === '50%' || Number.parseFloat(m.value) >= PILL;
  const radii = named(
    analysis.radii.filter((m) => !pill(m)),
    'radii',
    3,
  );
  if (analysis.radii.some(pill)) radii.full = '9999px';
  return {
    colors,
    fonts,
    fontSizes: fontSizes(analysis.typography),
    radii,
    spacing: named(analysis.spacing, 'spacing', 5),
  };
}

/**
 * The JSON Patch that applies proposed tokens to a Blueprint (each token added or replaced on its
 * own, so the rest of its design system stays) and lists the reference among its `references`.
 */
export function proposalPatch(
  tokens: ProposedTokens,
  source: ReferenceSource,
  referenceCount: number,
): JsonPatch {
  const patch: JsonPatch = [];
  for (const map of ['colors', 'fonts', 'fontSizes', 'radii', 'spacing'] as const)
    for (const [name, value] of Object.entries(tokens[map]))
      patch.push({ op: 'add', path: `/sections/designSystem/tokens/${map}/${name}`, value });
  if (referenceCount < MAX_REFERENCES) {
    const kept = Object.fromEntries(Object.entries(tokens).filter(([, map]) => Object.keys(map).length > 0));
    patch.push({
      op: 'add',
      path: '/references/-',
      value: {
        kind: source.kind === 'url' ? 'url' : 'upload',
        ...(source.url ? { url: source.url } : {}),
        artifactId: source.referenceId,
        tokens: kept,
      },
    });
  }
  return patch;
}
