/** The LLM module's public face: the gateway, its errors and types, and its HTTP routes. */

export { addMessage } from './conversations/add-message.ts';
export { createConversation } from './conversations/create-conversation.ts';
export { exportConversation } from './conversations/export-conversation.ts';
export { getConversation } from './conversations/get-conversation.ts';
export { listConversations } from './conversations/list-conversations.ts';
export {
  appendMessages,
  type NewMessage,
  readMessages,
  retitleConversation,
  startProjectConversation,
} from './conversations/owned-conversations.ts';
export {
  AnsweredBy,
  type ConversationDetail,
  type ConversationView,
  type MessageRole,
  type MessageView,
} from './conversations/schemas.ts';
export {
  BudgetExceededError,
  type FailedAttempt,
  LlmNotConfiguredError,
  LlmUnavailableError,
  StructuredOutputError,
} from './errors.ts';
export type { BreakerSnapshot, BreakerState } from './gateway/circuit-breaker.ts';
export {
  type CreateGatewayOptions,
  createLlmGateway,
  type LlmGateway,
  type PassThroughDeps,
  type ProviderStatus,
} from './gateway/create-gateway.ts';
export type { GenerateObjectRequest } from './gateway/generate-object.ts';
export type {
  LlmBudget,
  LlmCallContext,
  LlmEvent,
  LlmFinishReason,
  LlmGenerateResult,
  LlmMessage,
  LlmObjectResult,
  LlmStream,
  LlmStreamRequest,
  LlmTool,
  LlmToolCall,
  LlmUsage,
} from './gateway/types.ts';
export { type MockLlm, type ScenarioEntry, startMockLlm } from './mock/index.ts';
export { llmSealedStores } from './providers/sealed-stores.ts';
export type { CheckBudget, ProxyCaller } from './proxy/proxy-caller.ts';
export { llmProxyRoutes } from './proxy/routes.ts';
export { llmRoutes } from './routes.ts';
export { StatsQuery } from './schemas.ts';
export { startLlmGateway } from './start-llm-gateway.ts';
export { operationsSpend } from './telemetry/operations-spend.ts';
export { readLlmStats } from './telemetry/read-llm-stats.ts';
export { sessionSpend } from './telemetry/session-spend.ts';
