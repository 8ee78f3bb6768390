/** The agent sessions API's answers (src/modules/agents/sessions), from openapi.gen.ts. */
import type { Answer, ItemOf, RequestBody } from './openapi-answer.ts';

export type AgentSession = Answer<'/api/agent-sessions/{id}', 'get'>;
export type AgentSessionStatus = AgentSession['status'];
export type AgentSessionSpend = AgentSession['spend'];
export type AgentSessionBudget = AgentSession['budget'];
export type AgentDiffStat = NonNullable<AgentSession['diffStat']>;
/** One transcript entry; `data` is the agent event it records (see agent-transcript.ts). */
export type AgentSessionEntry = ItemOf<Answer<'/api/agent-sessions/{id}/events', 'get'>>;
export type StartAgentSessionBody = RequestBody<'/api/projects/{slug}/agent-sessions', 'post'>;
export type AgentRuntime = NonNullable<StartAgentSessionBody['runtime']>;
