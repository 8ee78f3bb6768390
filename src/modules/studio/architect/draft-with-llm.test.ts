import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/app.ts';
import { type MockLlm, startMockLlm } from '../../llm/index.ts';
import { autopilotBlueprint } from './autopilot-blueprint.ts';
import { draftBlueprintWithLlm } from './draft-with-llm.ts';
import { templateFit } from './template-fit.ts';

/** The LLM Architect's template choice in autopilot, against the mock LLM server through the real gateway. */
let t: TestApp;
let mock: MockLlm;

beforeAll(async () => {
  mock = await startMockLlm();
  t = await createTestApp({
    llm: {
      providers: [
        {
          name: 'anthropic',
          kind: 'anthropic',
          baseUrl: mock.url,
          apiKey: 'sk-ant-test',
          models: [{ id: 'claude-sonnet-4-5', input: 3, cachedInput: 0.3, output: 15, prefill: true }],
        },
      ],
      aliases: { architect: ['anthropic/claude-sonnet-4-5'] },
      timeouts: { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 2_000 },
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50, maxRetryAfterMs: 1_000 },
    },
  });
});
afterAll(async () => {
  await t?.close();
  await mock?.close();
});
beforeEach(() => mock.reset());

/** What the model was sent: the system prompt and the person's turn, as one text. */
const sent = () => JSON.stringify(mock.requests().at(-1)?.body);

describe('the LLM Architect picks the template in autopilot', () => {
  const prompt = 'a blog about my travels';

  it("is told every template and the rules' suggestion with its reason, and its choice is kept", async () => {
    // The model disagrees with the rules: the draft it answers targets a dashboard.
    mock.setScenario([
      { json: { ...autopilotBlueprint('a dashboard of my travels'), template: 'dashboard' } },
    ]);
    const suggestion = templateFit(prompt);
    expect(suggestion.template).toBe('static-site');
    const drafted = await draftBlueprintWithLlm(t.res.llm, { prompt, suggestion });
    expect(drafted.blueprint.template).toBe('dashboard');
    const request = sent();
    for (const template of ['crud-app', 'landing-page', 'api-service', 'dashboard', 'static-site'])
      expect(request).toContain(`\\"${template}\\"`);
    expect(request).toContain(
      `Orchard's rules suggest the template static-site (confidence 90 %): ${suggestion.reason.replace(/"/g, '\\"')}`,
    );
  });

  it('keeps the template the person chose, whatever the model answers', async () => {
    mock.setScenario([
      { json: { ...autopilotBlueprint('a dashboard of my travels'), template: 'dashboard' } },
    ]);
    const drafted = await draftBlueprintWithLlm(t.res.llm, { prompt, template: 'static-site' });
    expect(drafted.blueprint.template).toBe('static-site');
    expect(sent()).toContain('Template: static-site');
    expect(sent()).not.toContain("Orchard's rules suggest");
  });

  it("falls back to the rules' template when the model's draft names none", async () => {
    const { template: _none, ...draft } = autopilotBlueprint(prompt);
    mock.setScenario([{ json: draft }]);
    const drafted = await draftBlueprintWithLlm(t.res.llm, { prompt, suggestion: templateFit(prompt) });
    expect(drafted.blueprint.template).toBe('static-site');
  });

  it('leaves out what the chosen template never shows: the pages and page checks of an API', async () => {
    const crud = autopilotBlueprint('a recipe box with ingredients');
    mock.setScenario([{ json: { ...crud, template: 'api-service' } }]);
    const drafted = await draftBlueprintWithLlm(t.res.llm, { prompt: 'an API for recipes' });
    expect(drafted.blueprint).toMatchObject({ template: 'api-service', userStories: [] });
    expect(drafted.blueprint.sections.pages).toEqual([]);
    expect(drafted.blueprint.sections.apiEndpoints.length).toBeGreaterThan(0);
    expect(drafted.blueprint.assumptions).toContainEqual({
      text: 'An API has no pages: the pages and browser checks were left out.',
      source: 'autopilot',
    });
  });
});
