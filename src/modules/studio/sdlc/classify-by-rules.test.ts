import { describe, expect, it } from 'vitest';
import { classifyByRules } from './classify-by-rules.ts';
import type { SdlcKind } from './sdlc-kinds.ts';

const now = new Date('2026-03-01T10:00:00Z');

const PHRASINGS: Record<SdlcKind, string[]> = {
  bugfix: [
    "The save button doesn't work",
    'Clicking save gives a 500 error',
    'App crashes when I upload a photo larger than 5 MB',
    'TypeError: Cannot read properties of undefined (reading "title")',
    'Login fails with the correct password',
    "Users can't upload images anymore",
    'The page is blank after signing in',
    'Wrong total shown in the cart',
    'Fix the sorting on the recipes page',
    'Typo on the landing page: "recieve"',
    'Steps to reproduce: open /recipes, click Edit. Expected: the form opens. Actual: nothing happens.',
    'There is a bug in the rating stars, they show 6 stars',
    'New recipes are not saved',
    'The photo gallery hangs on large albums',
    'Regression: deleting a task no longer asks for confirmation',
    'The search is broken since yesterday',
    'Timestamps are displayed incorrectly in the feed',
    'fix: tasks disappear after reload',
  ],
  chore: [
    'Upgrade express to v5',
    'Bump lodash from 4.17.20 to 4.17.21',
    'Refactor the recipe model',
    'Update the README with setup steps',
    'Set up CI with the pipeline running lint and tests',
    'Add tests for the login route',
    'Remove unused helper functions',
    'Clean up dead code in the app folder',
    'Update dependencies',
    'Format the code with biome',
    'Fix the typo in the README',
    'Improve test coverage of the API',
    'Write documentation for the endpoints',
  ],
  change: [
    'Make the header blue instead of green',
    'Rename "Tasks" to "To-dos" in the menu',
    'Change the price field from integer to decimal',
    'The list should be sorted by date rather than by name',
    'Move the search box to the top of the page',
    'Make the buttons larger on phones',
    'Replace the star rating with a thumbs up',
    'Shorten the welcome text on the home page',
    'Hide the delete button for viewers',
    'Use a bigger font for the titles',
  ],
  feature: [
    'As a user I want to export my recipes as CSV',
    'Allow users to sort recipes by rating',
    'Add a dark mode',
    'Support for multiple languages',
    "I'd like a way to invite teammates",
    'Let visitors like photos',
    'Implement password reset by email',
    'A dashboard with weekly totals',
    'a bug tracker where teams file and triage bugs reports',
    'Build a page where members see their invoices',
    'Integrate with Stripe for payments',
    'Make it possible to archive old projects',
  ],
};

describe('classifyByRules: the SDLC classifier without a model', () => {
  for (const [kind, phrasings] of Object.entries(PHRASINGS) as [SdlcKind, string[]][]) {
    it.each(phrasings)(`reads “%s” as ${kind}`, (request) => {
      const c = classifyByRules(request, now);
      expect({ request, kind: c.kind }).toEqual({ request, kind });
      expect(c.source).toBe('rules');
      expect(c.confidence).toBeGreaterThan(0.4);
      expect(c.confidence).toBeLessThanOrEqual(0.95);
      expect(c.reason).toMatch(/^Reads as a /);
    });
  }

  it('routes a bug report and a feature request onto different paths: the bug skips spec and plan', () => {
    const bug = classifyByRules('The checkout page crashes with an error when the cart is empty', now);
    const feature = classifyByRules('Add a wishlist so shoppers can save products for later', now);
    expect(bug.kind).toBe('bugfix');
    expect(bug.phases).toEqual(['implement', 'test', 'deploy', 'verify', 'done']);
    expect(feature.kind).toBe('feature');
    expect(feature.phases).toEqual(['spec', 'plan', 'implement', 'test', 'deploy', 'verify', 'done']);
  });

  it('gives each kind its path: a chore skips spec, a change skips plan', () => {
    expect(classifyByRules('Upgrade express to v5', now).phases[0]).toBe('plan');
    expect(classifyByRules('Upgrade express to v5', now).phases).not.toContain('spec');
    expect(classifyByRules('Rename the Tasks menu to To-dos', now).phases).toEqual([
      'spec',
      'implement',
      'test',
      'deploy',
      'verify',
      'done',
    ]);
  });

  it('is surer the more the words agree, and names the words it went by', () => {
    const weak = classifyByRules('Fix the header', now);
    const strong = classifyByRules(
      'Fix: the app crashes with a TypeError and the save button does not work any more',
      now,
    );
    expect(strong.confidence).toBeGreaterThan(weak.confidence);
    expect(strong.reason).toContain('“fix”');
    expect(strong.at).toBe(now.toISOString());
  });

  it('reads a request with no cue as a new feature, with low confidence', () => {
    const c = classifyByRules('recipes with photos and ratings', now);
    expect(c).toMatchObject({ kind: 'feature', confidence: 0.4, source: 'rules' });
    expect(c.reason).toMatch(/No sign of a bug/);
  });
});
