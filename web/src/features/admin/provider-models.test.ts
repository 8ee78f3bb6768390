import { describe, expect, it } from 'vitest';
import { modelsToText, textToModels } from './provider-models.ts';

describe('provider models as lines', () => {
  it('round-trips every field, prices per million tokens first', () => {
    const models = [
      { id: 'claude-sonnet', input: 3, output: 15, cachedInput: 0.3, contextWindow: 200000, prefill: true },
      { id: 'local-llama', input: 0, output: 0 },
    ];
    const text = modelsToText(models);
    expect(text).toBe(
      'claude-sonnet 3 15 cachedInput=0.3 contextWindow=200000 prefill=true\nlocal-llama 0 0',
    );
    expect(textToModels(text)).toEqual({ models });
  });

  it('reads a bare id as a free model and skips blank lines', () => {
    expect(textToModels('\n  gpt-mock  \n\n')).toEqual({ models: [{ id: 'gpt-mock', input: 0, output: 0 }] });
  });

  it('names the line that does not read, and why', () => {
    expect(textToModels('ok 1 2\nbad one two')).toEqual({
      error: 'Line 2: write "model-id input-price output-price" (USD per million tokens).',
    });
    expect(textToModels('m 1 2 colour=red')).toMatchObject({
      error: expect.stringMatching(/^Line 1: "colour=red"/),
    });
  });
});
