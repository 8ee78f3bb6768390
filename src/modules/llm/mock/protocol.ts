import type { LlmRequest, Reply } from './reply.ts';
import type { FaultStatus } from './schemas.ts';
import type { StreamPlan } from './sse.ts';

export type ProtocolName = 'anthropic' | 'gemini' | 'openai' | 'openai-responses';

/** An HTTP error answer in one protocol's exact shape. */
export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Identifiers and time for one answer, so ids are predictable and time is injected. */
export interface AnswerMeta {
  seq: number;
  now: Date;
}

export interface ErrorOptions {
  message?: string;
  retryAfter?: number | null;
  meta: AnswerMeta;
}

/** Where the generation request came in (Gemini carries the model and streaming in the URL). */
export interface RouteInfo {
  model?: string;
  stream?: boolean;
}

/** One wire protocol: how to read its requests and how to write its answers and errors. */
export interface Protocol {
  readonly name: ProtocolName;
  /** The status a non-streaming `error-event` fault turns into: each provider's "overloaded". */
  readonly overloadedStatus: FaultStatus;
  /** Throws RequestRejected when the provider would refuse the request. */
  parseRequest(body: unknown, route: RouteInfo, meta: AnswerMeta): LlmRequest;
  streamPlan(request: LlmRequest, reply: Reply, meta: AnswerMeta): StreamPlan;
  responseBody(request: LlmRequest, reply: Reply, meta: AnswerMeta): unknown;
  responseHeaders(meta: AnswerMeta): Record<string, string>;
  error(status: number, options: ErrorOptions): ErrorReply;
  /** The id of the answer's `index`-th tool call (from 0): unique across the server's answers. */
  toolCallId(meta: AnswerMeta, index: number): string;
  /** The provider's token-counting answer, for those that have the endpoint. */
  countTokens?(body: unknown, route: RouteInfo, meta: AnswerMeta): unknown;
}

/** The provider would answer this request with an error (bad body, prefill not supported, …). */
export class RequestRejected extends Error {
  constructor(readonly reply: ErrorReply) {
    super(`request rejected with ${reply.status}`);
    this.name = 'RequestRejected';
  }
}

/** One line naming the first bad field, in the `path: message` style providers use. */
export function describeIssue(error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>;
}): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid request body';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
