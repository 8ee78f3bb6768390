import { describe, expect, it } from 'vitest';
import { SCAFFOLD_FIT, templateFit } from './template-fit.ts';

describe('templateFit', () => {
  it.each([
    ['a snake game playable in the browser with a high-score table', 'crud-app', false],
    ['a real-time multiplayer chess board', 'crud-app', false],
    ['a drawing app with a canvas and brushes', 'crud-app', false],
    ['a pomodoro timer with stats', 'crud-app', false],
    // The prompts the first two templates were built for keep their template.
    ['a recipe box with ingredients and ratings', 'crud-app', true],
    ['a photo gallery where visitors can like photos', 'crud-app', true],
    ['track my book loans', 'crud-app', true],
    ['Track my classes, constructors and prototypes for a JavaScript course', 'crud-app', true],
    ['a blog with posts, comments, likes and authors', 'crud-app', true],
    ['an event site with guests', 'crud-app', true],
    ['a guest book where visitors leave notes', 'crud-app', true],
    ['a recipe app with an API', 'crud-app', true],
    ['track my expenses with monthly totals', 'crud-app', true],
    ['a website for my restaurant bookings', 'crud-app', true],
    ['a coming soon page for my bakery with a contact form', 'landing-page', true],
    ['a landing page for a neighbourhood bakery', 'landing-page', true],
    ['a waitlist for my new app', 'landing-page', true],
    // An API, and nothing to look at.
    ['a REST API for books and their authors', 'api-service', true],
    ['an API for my bookshop inventory', 'api-service', true],
    ['Build a JSON API with OpenAPI docs for recipes', 'api-service', true],
    ['a backend service for orders, no UI', 'api-service', true],
    ['a headless product catalog', 'api-service', true],
    // Charts over the app's own records.
    ['a dashboard of my expenses by category', 'dashboard', true],
    ['sales analytics with charts per month', 'dashboard', true],
    ['track the KPIs and metrics of my support tickets', 'dashboard', true],
    ['a dashboard game leaderboard', 'dashboard', false],
    // Pages to read, written in Markdown.
    ['a blog about my travels', 'static-site', true],
    ['a documentation site for my CLI tool', 'static-site', true],
    ['a multi-page site for my band written in markdown', 'static-site', true],
    ['a personal website with a portfolio', 'static-site', true],
  ])('%s → %s (scaffold: %s)', (prompt, template, scaffold) => {
    const fit = templateFit(prompt);
    expect(fit.template).toBe(template);
    expect(fit.confidence >= SCAFFOLD_FIT).toBe(scaffold);
    expect(fit.reason.length).toBeGreaterThan(10);
  });

  it('names what does not fit', () => {
    expect(templateFit('a snake game playable in the browser').reason).toMatch(/a game/);
  });

  it('says which words chose the template, and is surer of strong words than of weak ones', () => {
    expect(templateFit('a REST API for books')).toEqual({
      template: 'api-service',
      confidence: 0.9,
      reason: '“rest api”: a JSON API with an OpenAPI document is what the api-service template builds.',
    });
    expect(templateFit('a dashboard of my runs').reason).toBe(
      '“dashboard”: charts over its own records is what the dashboard template builds.',
    );
    expect(templateFit('a blog about my travels').reason).toMatch(
      /^“blog”: a multi-page site written in Markdown/,
    );
    // "website" alone leans towards a static site, less surely than "blog".
    const site = templateFit('a website about my band');
    expect(site).toMatchObject({ template: 'static-site', confidence: 0.7 });
    expect(site.confidence).toBeLessThan(templateFit('a blog about my band').confidence);
  });

  it('turns a static site that people add things to into a record-keeping app, and says why', () => {
    expect(templateFit('a blog where readers leave comments and likes')).toMatchObject({
      template: 'crud-app',
      reason: expect.stringMatching(/people add “comments”, “likes”.*a static site cannot/),
    });
  });

  it('rates a chosen template by the request, whatever the words would choose', () => {
    expect(templateFit('A small site of notes about gardening', 'static-site')).toMatchObject({
      template: 'static-site',
      confidence: 0.6,
      reason: 'The static-site template was chosen.',
    });
    expect(templateFit('Bookshop API. A JSON API for a bookshop', 'api-service').confidence).toBe(0.9);
    expect(templateFit('a blog about my travels', 'crud-app').template).toBe('crud-app');
    expect(templateFit('a chess game', 'dashboard')).toMatchObject({
      template: 'dashboard',
      confidence: 0.25,
    });
  });
});
