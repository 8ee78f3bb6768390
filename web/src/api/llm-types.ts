/** The LLM telemetry API's answers (src/modules/llm), from the generated openapi.gen.ts. */
import type { Answer, ItemOf, QueryOf } from './openapi-answer.ts';

/** One attempt; attempts of one logical call share a `callId`. */
export type LlmCall = ItemOf<Answer<'/api/llm/calls', 'get'>>;
export type LlmOutcome = LlmCall['outcome'];
export type LlmStats = Answer<'/api/llm/stats', 'get'>;
export type LlmWindow = NonNullable<QueryOf<'/api/llm/stats', 'get'>['window']>;
