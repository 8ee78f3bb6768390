import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StructuredOutputError } from '../errors.ts';
import { type GatewayOnMock, startGatewayOnMock } from '../gateway-on-mock.test-support.ts';

const Person = z.object({ name: z.string(), age: z.number().int().min(0) });
let g: GatewayOnMock;
beforeAll(async () => {
  g = await startGatewayOnMock();
});
afterAll(async () => g?.close());
beforeEach(() => g.mock.reset());

describe.each(['anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-flash', 'openai/gpt-mock'])(
  'generateObject on %s',
  (model) => {
    it('returns a typed value validated against the schema', async () => {
      g.mock.setScenario([{ json: { name: 'Ada', age: 36 }, chunkSize: 5 }]);
      const result = await g.gateway.generateObject({
        model,
        schema: Person,
        messages: [{ role: 'user', content: 'Who?' }],
      });
      expect(result.object).toEqual({ name: 'Ada', age: 36 });
      expect(result.repairs).toBe(0);
    });

    it('re-asks with the validation errors and accepts the corrected answer', async () => {
      g.mock.setScenario([{ json: { name: 'Ada', age: -1 } }, { json: { name: 'Ada', age: 36 } }]);
      const result = await g.gateway.generateObject({
        model,
        schema: Person,
        messages: [{ role: 'user', content: 'Who?' }],
      });
      expect(result).toMatchObject({ object: { name: 'Ada', age: 36 }, repairs: 1 });
      const reask = JSON.stringify(g.mock.requests()[1]?.body);
      expect(reask).toContain('age: Too small');
    });

    it('survives a JSON stream broken in the middle', async () => {
      g.mock.setScenario([
        { json: { name: 'Ada Lovelace', age: 36 }, chunkSize: 4, fault: 'reset', after: 3 },
        { json: { name: 'Ada Lovelace', age: 36 }, chunkSize: 4 },
      ]);
      const result = await g.gateway.generateObject({
        model,
        schema: Person,
        messages: [{ role: 'user', content: 'Who?' }],
      });
      expect(result).toMatchObject({ object: { name: 'Ada Lovelace', age: 36 }, repairs: 0, attempts: 2 });
    });

    it('gives up with StructuredOutputError after the bounded re-asks', async () => {
      g.mock.setScenario([{ reply: 'I think her name was Ada.' }]);
      const error = await g.gateway
        .generateObject({
          model,
          schema: Person,
          maxRepairs: 1,
          messages: [{ role: 'user', content: 'Who?' }],
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StructuredOutputError);
      expect((error as StructuredOutputError).issues[0]).toMatch(/^not JSON/);
      expect(g.mock.requests()).toHaveLength(2);
    });
  },
);
