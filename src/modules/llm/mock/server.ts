import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../../platform/clock.ts';
import { ValidationError } from '../../../platform/errors.ts';
import { answerGeneration, sendError } from './answer.ts';
import { FAULT_HEADER } from './faults.ts';
import { parseJson, readBodyText, sendJson } from './http-io.ts';
import { listModels } from './models.ts';
import { RequestRejected } from './protocol.ts';
import { type RecordedRequest, recordRequest } from './recorder.ts';
import { protocolOf, type Route, routeFor } from './router.ts';
import { loadScenarioFile, parseScenario, ScenarioPlayer } from './scenario.ts';
import type { ScenarioEntry } from './schemas.ts';

export interface MockLlmOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Entries, or the path of a YAML file holding them. */
  scenario?: ScenarioEntry[] | string;
  clock?: Clock;
  /** What `GET /v1/models` lists. */
  models?: string[];
}

export interface MockLlm {
  url: string;
  port: number;
  /** Every provider request received so far (not `/_mock/*`), credentials redacted. */
  requests(): RecordedRequest[];
  /** Replaces the scenario and starts it from the top; throws ValidationError on a bad entry. */
  setScenario(entries: ScenarioEntry[]): void;
  /** Forgets recorded requests and starts the scenario from the top again. */
  reset(): void;
  /** Stops listening and cuts open connections, stalled streams included. */
  close(): Promise<void>;
}

interface MockState {
  player: ScenarioPlayer;
  requests: RecordedRequest[];
  seq: number;
  clock: Clock;
  models: string[];
}

/** Starts the protocol-exact mock LLM server in this process (bound to 127.0.0.1 by default). */
export async function startMockLlm(options: MockLlmOptions = {}): Promise<MockLlm> {
  const entries =
    typeof options.scenario === 'string'
      ? await loadScenarioFile(options.scenario)
      : parseScenario(options.scenario ?? []);
  const state: MockState = {
    player: new ScenarioPlayer(entries),
    requests: [],
    seq: 0,
    clock: options.clock ?? systemClock,
    models: options.models ?? ['mock-model'],
  };
  const server = createServer((req, res) => {
    handle(req, res, state).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: { message: `mock-llm failed: ${(error as Error).message}` } });
    });
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    requests: () => [...state.requests],
    setScenario: (next) => state.player.replace(parseScenario(next)),
    reset: () => {
      state.requests.length = 0;
      state.player.rewind();
    },
    close: () => closeServer(server),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, state: MockState): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://mock.invalid');
  const route = routeFor(method, url);
  const text = await readBodyText(req);
  const body = text === '' ? undefined : parseJson(text);
  if (!url.pathname.startsWith('/_mock/')) {
    const path = url.pathname + url.search;
    state.requests.push(recordRequest(method, path, req.headers, text, body, protocolOf(route)));
  }
  if (!route) {
    return sendJson(res, 404, { error: { message: `mock-llm has no route for ${method} ${url.pathname}` } });
  }
  return dispatch(route, req, res, state, body);
}

async function dispatch(
  route: Route,
  req: IncomingMessage,
  res: ServerResponse,
  state: MockState,
  body: unknown,
) {
  switch (route.kind) {
    case 'generate': {
      const meta = { seq: ++state.seq, now: state.clock.now() };
      const faultHeader = req.headers[FAULT_HEADER];
      const header = Array.isArray(faultHeader) ? faultHeader[0] : faultHeader;
      const input = {
        protocol: route.protocol,
        body,
        route: route.info,
        faultHeader: header,
        player: state.player,
        meta,
      };
      return answerGeneration(res, input);
    }
    case 'count-tokens': {
      const meta = { seq: ++state.seq, now: state.clock.now() };
      try {
        return sendJson(res, 200, route.protocol.countTokens?.(body, route.info, meta));
      } catch (error) {
        if (error instanceof RequestRejected) return sendError(res, error.reply);
        throw error;
      }
    }
    case 'models':
      return sendJson(
        res,
        200,
        listModels(state.models, req.headers['anthropic-version'] !== undefined, state.clock.now()),
      );
    case 'mock-requests':
      return sendJson(res, 200, state.requests);
    case 'mock-reset':
      state.requests.length = 0;
      state.player.rewind();
      return sendJson(res, 200, { ok: true });
    case 'mock-scenario':
      try {
        state.player.replace(parseScenario(body));
        return sendJson(res, 200, { ok: true });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return sendJson(res, 400, { error: { message: error.message, issues: error.issues } });
      }
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets and stalled streams would otherwise hold close() open forever.
    server.closeAllConnections();
  });
}
