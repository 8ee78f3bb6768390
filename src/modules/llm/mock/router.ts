import { anthropic } from './anthropic.ts';
import { gemini } from './gemini.ts';
import { openai } from './openai.ts';
import { openaiResponses } from './openai-responses.ts';
import type { Protocol, RouteInfo } from './protocol.ts';

export type Route =
  | { kind: 'generate'; protocol: Protocol; info: RouteInfo & { jsonArray?: boolean } }
  | { kind: 'count-tokens'; protocol: Protocol; info: RouteInfo }
  | { kind: 'models' }
  | { kind: 'mock-requests' }
  | { kind: 'mock-reset' }
  | { kind: 'mock-scenario' };

// The API version segment varies by client (js-genai defaults to v1beta; v1 also exists).
const GEMINI_PATH =
  /^\/(?:v1beta|v1alpha|v1)\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/;

/** Maps method + URL to what the mock does; `null` is a 404. */
export function routeFor(method: string, url: URL): Route | null {
  const path = url.pathname;
  if (method === 'GET') {
    if (path === '/v1/models') return { kind: 'models' };
    if (path === '/_mock/requests') return { kind: 'mock-requests' };
    return null;
  }
  if (method !== 'POST') return null;
  switch (path) {
    case '/v1/messages':
      return { kind: 'generate', protocol: anthropic, info: {} };
    case '/v1/messages/count_tokens':
      return { kind: 'count-tokens', protocol: anthropic, info: {} };
    case '/v1/chat/completions':
      return { kind: 'generate', protocol: openai, info: {} };
    case '/v1/responses':
      return { kind: 'generate', protocol: openaiResponses, info: {} };
    case '/_mock/reset':
      return { kind: 'mock-reset' };
    case '/_mock/scenario':
      return { kind: 'mock-scenario' };
  }
  const gem = GEMINI_PATH.exec(path);
  if (!gem) return null;
  const model = decodeURIComponent(gem[1] ?? '');
  if (gem[2] === 'countTokens') return { kind: 'count-tokens', protocol: gemini, info: { model } };
  const stream = gem[2] === 'streamGenerateContent';
  return {
    kind: 'generate',
    protocol: gemini,
    info: { model, stream, jsonArray: stream && url.searchParams.get('alt') !== 'sse' },
  };
}

/** The protocol a path belongs to, for the request log. */
export function protocolOf(route: Route | null): Protocol['name'] | null {
  return route && 'protocol' in route ? route.protocol.name : null;
}
