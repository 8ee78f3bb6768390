import { describe, expect, it } from 'vitest';
import { SCAFFOLD_FIT, templateFit } from './template-fit.ts';

describe('templateFit', () => {
  it.each([
    ['a snake game playable in the browser with a high-score table', 'crud-app', false],
    ['a real-time multiplayer chess board', 'crud-app', false],
    ['a drawing app with a canvas and brushes', 'crud-app', false],
    ['a pomodoro timer with stats', 'crud-app', false],
    ['a recipe box with ingredients and ratings', 'crud-app', true],
    ['a photo gallery where visitors can like photos', 'crud-app', true],
    ['track my book loans', 'crud-app', true],
    ['a coming soon page for my bakery with a contact form', 'landing-page', true],
  ])('%s → %s (scaffold: %s)', (prompt, template, scaffold) => {
    const fit = templateFit(prompt);
    expect(fit.template).toBe(template);
    expect(fit.confidence >= SCAFFOLD_FIT).toBe(scaffold);
    expect(fit.reason.length).toBeGreaterThan(10);
  });
  it('names what does not fit', () => {
    expect(templateFit('a snake game playable in the browser').reason).toMatch(/a game/);
  });
});
