import type { ServerResponse } from 'node:http';
import { setTimeout as pause } from 'node:timers/promises';
import { type Fault, parseFaultHeader } from './faults.ts';
import { sendJson } from './http-io.ts';
import type { AnswerMeta, ErrorReply, Protocol, RouteInfo } from './protocol.ts';
import { RequestRejected } from './protocol.ts';
import { buildReply, type LlmRequest } from './reply.ts';
import type { ScenarioPlayer } from './scenario.ts';
import { playStream } from './sse.ts';

export interface GenerateInput {
  protocol: Protocol;
  body: unknown;
  route: RouteInfo & { jsonArray?: boolean };
  faultHeader: string | undefined;
  player: ScenarioPlayer;
  meta: AnswerMeta;
}

/** Answers one generation request from the scenario; resolves once the response is over. */
export async function answerGeneration(res: ServerResponse, input: GenerateInput): Promise<void> {
  const { protocol, meta } = input;
  let request: LlmRequest;
  let override: Fault | null;
  try {
    if (input.body === undefined) {
      throw new RequestRejected(
        protocol.error(400, { message: 'The request body is not valid JSON.', meta }),
      );
    }
    request = protocol.parseRequest(input.body, input.route, meta);
    override = readFaultHeader(input.faultHeader, protocol, meta);
  } catch (error) {
    if (error instanceof RequestRejected) return sendError(res, error.reply);
    throw error;
  }
  // Only requests the provider would accept use up a scenario entry.
  const entry = input.player.next(request);
  const reply = buildReply(entry, request, override, (index) => protocol.toolCallId(meta, index));
  const fault = reply.fault;
  if (fault?.kind === 'status') {
    return sendError(res, protocol.error(fault.status, { retryAfter: fault.retryAfter, meta }));
  }
  if (request.stream && !input.route.jsonArray) {
    return playStream(res, protocol.streamPlan(request, reply, meta), { fault, delayMs: reply.delayMs });
  }
  if (reply.delayMs > 0) await pause(reply.delayMs);
  const body = protocol.responseBody(request, reply, meta);
  // Gemini's streamGenerateContent without `alt=sse` answers one JSON array of responses.
  const payload = input.route.jsonArray ? [body] : body;
  switch (fault?.kind) {
    case undefined:
      return sendJson(res, 200, payload, protocol.responseHeaders(meta));
    case 'reset':
      res.socket?.resetAndDestroy();
      return;
    case 'stall':
      await new Promise((resolve) => res.once('close', resolve));
      return;
    case 'eof':
    case 'malformed': {
      // Without a stream to break, both become a body cut in half: it ends cleanly but does not parse.
      const text = JSON.stringify(payload);
      res.writeHead(200, { 'content-type': 'application/json', ...protocol.responseHeaders(meta) });
      res.end(text.slice(0, Math.floor(text.length / 2)));
      return;
    }
    case 'error-event':
      return sendError(res, protocol.error(protocol.overloadedStatus, { meta }));
  }
}

export function sendError(res: ServerResponse, reply: ErrorReply): void {
  sendJson(res, reply.status, reply.body, reply.headers);
}

function readFaultHeader(value: string | undefined, protocol: Protocol, meta: AnswerMeta): Fault | null {
  if (value === undefined || value === '') return null;
  try {
    return parseFaultHeader(value);
  } catch (error) {
    throw new RequestRejected(protocol.error(400, { message: (error as Error).message, meta }));
  }
}
