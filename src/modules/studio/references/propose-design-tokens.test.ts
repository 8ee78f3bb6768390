import { describe, expect, it } from 'vitest';
import type { DesignAnalysis } from '../../automation/index.ts';
import { applyBlueprintPatch, emptyBlueprint } from '../../blueprint/index.ts';
import { proposalPatch, proposeDesignTokens } from './propose-design-tokens.ts';

const analysis = (over: Partial<DesignAnalysis> = {}): DesignAnalysis => ({
  palette: { colors: [], roles: { background: '#ffffff', text: '#111111', primary: '#2563eb' } },
  typography: {
    families: [],
    sizes: [
      { px: 32, share: 0.05, heading: true, body: false },
      { px: 24, share: 0.05, heading: true, body: false },
      { px: 16, share: 0.7, heading: false, body: true },
      { px: 13.333, share: 0.15, heading: false, body: true },
      { px: 14, share: 0.04, heading: false, body: true },
      { px: 9, share: 0.01, heading: false, body: true },
    ],
    body: { family: '"Inter var", system-ui, sans-serif', px: 16 },
    headings: { family: 'Georgia, serif', sizes: [32, 24, 16] },
  },
  spacing: [
    { value: '4px', count: 3 },
    { value: '8px', count: 20 },
    { value: '12px', count: 1 },
    { value: '16px', count: 30 },
    { value: '24px', count: 9 },
    { value: '32px', count: 5 },
  ],
  radii: [
    { value: '4px', count: 7 },
    { value: '9999px', count: 2 },
  ],
  ...over,
});

describe('proposeDesignTokens', () => {
  it('names colours by role, fonts by use, the type scale, and the most used lengths smallest first', () => {
    expect(proposeDesignTokens(analysis())).toEqual({
      colors: { background: '#ffffff', text: '#111111', primary: '#2563eb' },
      fonts: { heading: 'Georgia, serif', body: '"Inter var", system-ui, sans-serif' },
      // Body text's size; the most used smaller body size (9px is a footnote); headings above the
      // body's size, largest first (a heading set at body size is not a step of the scale).
      fontSizes: { body: '16px', small: '13.33px', h1: '32px', h2: '24px' },
      // One radius in use is `md`; a pill radius is `full`.
      radii: { md: '4px', full: '9999px' },
      // The five most used (12px, used once, is left out), smallest first.
      spacing: { xs: '4px', sm: '8px', md: '16px', lg: '24px', xl: '32px' },
    });
  });

  it('keeps only what a CSS token may hold: families it cannot name are left out, a long list is cut', () => {
    const long = `${Array.from({ length: 12 }, (_, i) => `"Family number ${i}"`).join(', ')}, sans-serif`;
    const tokens = proposeDesignTokens(
      analysis({
        typography: {
          families: [],
          sizes: [],
          body: { family: 'Ünïcode Sans;{}, serif', px: 16 },
          headings: { family: long, sizes: [30] },
        },
        spacing: [{ value: 'calc(1px + 2px)', count: 9 }],
      }),
    );
    expect(tokens.fonts.body).toBe('serif');
    expect(tokens.fonts.heading!.length).toBeLessThanOrEqual(120);
    expect(tokens.fonts.heading).toMatch(/^"Family number 0", .*"$/);
    expect(tokens.spacing).toEqual({});
  });
});

describe('proposalPatch', () => {
  const source = { kind: 'url' as const, url: 'https://example.com/', referenceId: 'ref-1' };

  it('applies to a Blueprint: each token on its own, and the reference listed with its tokens', () => {
    const tokens = proposeDesignTokens(analysis());
    const doc = emptyBlueprint();
    doc.sections.designSystem.tokens.colors = { accent: '#f59e0b', primary: '#000000' };
    const next = applyBlueprintPatch(doc, proposalPatch(tokens, source, 0));
    expect(next.sections.designSystem.tokens.colors).toEqual({ accent: '#f59e0b', ...tokens.colors });
    expect(next.references).toEqual([
      { kind: 'url', url: 'https://example.com/', artifactId: 'ref-1', tokens },
    ]);
  });

  it('leaves the reference out of a Blueprint that lists 50 already, and empty maps out of it', () => {
    const tokens = { colors: { primary: '#2563eb' }, fonts: {}, fontSizes: {}, radii: {}, spacing: {} };
    expect(proposalPatch(tokens, source, 50)).toEqual([
      { op: 'add', path: '/sections/designSystem/tokens/colors/primary', value: '#2563eb' },
    ]);
    const image = proposalPatch(tokens, { kind: 'image', referenceId: 'ref-2' }, 0).at(-1);
    expect(image).toEqual({
      op: 'add',
      path: '/references/-',
      value: { kind: 'upload', artifactId: 'ref-2', tokens: { colors: { primary: '#2563eb' } } },
    });
  });
});
