import type { LlmProvider } from '../../api/admin-types.ts';

export type ProviderModel = LlmProvider['models'][number];

const NUMBER_KEYS = new Set(['cachedInput', 'contextWindow']);

/** Models as lines an admin edits: `id input output` (USD per million tokens), then `key=value` extras. */
export function modelsToText(models: ProviderModel[]): string {
  return models
    .map((m) => {
      const extras = [
        m.cachedInput !== undefined ? `cachedInput=${m.cachedInput}` : '',
        m.contextWindow !== undefined ? `contextWindow=${m.contextWindow}` : '',
        m.prefill !== undefined ? `prefill=${m.prefill}` : '',
      ].filter(Boolean);
      return [m.id, m.input, m.output, ...extras].join(' ');
    })
    .join('\n');
}

/** The lines back to models, or the first line that does not read, with why. */
export function textToModels(text: string): { models: ProviderModel[] } | { error: string } {
  const models: ProviderModel[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    const [id, ...rest] = words as [string, ...string[]];
    const model: ProviderModel = { id, input: 0, output: 0 };
    const prices = rest.filter((w) => !w.includes('='));
    if (prices.length > 2 || prices.some((p) => !/^\d+(\.\d+)?$/.test(p)))
      return { error: `Line ${i + 1}: write "model-id input-price output-price" (USD per million tokens).` };
    if (prices[0] !== undefined) model.input = Number(prices[0]);
    if (prices[1] !== undefined) model.output = Number(prices[1]);
    for (const word of rest.filter((w) => w.includes('='))) {
      const [key, value = ''] = word.split('=', 2) as [string, string?];
      if (key === 'prefill' && (value === 'true' || value === 'false')) model.prefill = value === 'true';
      else if (NUMBER_KEYS.has(key) && /^\d+(\.\d+)?$/.test(value))
        (model as Record<string, unknown>)[key] = Number(value);
      else
        return {
          error: `Line ${i + 1}: "${word}" is not cachedInput=<price>, contextWindow=<tokens> or prefill=true|false.`,
        };
    }
    models.push(model);
  }
  return { models };
}
