// npm run bench:agent [-- turns] [pairs] — what Orchard adds around a coding agent, each figure next to
// a peer measured side by side in the same run, on the in-process mock LLM server:
//   1. the agent loop per tool turn (createLlmAgentRuntime + driveAgent + the gateway) against a
//      minimal AI SDK tool loop making the same requests and running the same tool; read-only and
//      mutating turns apart, and what a session adds per turn (transcript rows, workspace checkpoint);
//   2. the LLM proxy per request (official Anthropic SDK → /llm/anthropic) against the SDK calling
//      the mock directly, plain and streamed;
//   3. each CLI runtime's time from run() to its first model request (when this checkout has them).
// PostgreSQL: a scratch database on DATABASE_URL's server when set, else an embedded server in a
// temporary directory.
import { chmod, cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createHttp, createResources } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLlmAgentRuntime } from '../src/modules/agents/index.ts';
import { insertSession } from '../src/modules/agents/sessions/session-store.ts';
import { createToken, createUser } from '../src/modules/identity/index.ts';
import { createLlmGateway, type MockLlm, startMockLlm } from '../src/modules/llm/index.ts';
import { createProject, projectSandboxUser } from '../src/modules/projects/index.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { SYSTEM_ACTOR } from '../src/platform/http/actor.ts';
import { createMetrics } from '../src/platform/metrics.ts';
import { agentStarting, cliRuntimes, timeToFirstRequest } from './agent-cli-startup.ts';
import {
  benchLoop,
  type LoopSamples,
  mergeLoopSamples,
  seedRepository,
  type TurnKind,
} from './agent-loop.ts';
import { benchProxy, PROXY_MODEL, PROXY_SCENARIO } from './agent-proxy.ts';
import { agentReport } from './agent-report.ts';
import { benchPostgres, freshDatabase, quiet } from './queue-support.ts';

const TURNS = Number(process.argv[2] ?? 200);
const PAIRS = Number(process.argv[3] ?? 200);
const WRITE_TURNS = Math.max(2, Math.round(TURNS * 0.4));
// Every request carries the whole conversation, so a run's cost grows with the square of its
// length; runs of 40 turns keep the benchmark short while the conversations stay realistic.
const RUN_TURNS = 40;
const STARTUP_ROUNDS = 3;

const t0 = Date.now();
const log = (line: string) => process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${line}\n`);

const startup = loadConfig({ env: { DATABASE_URL: process.env.DATABASE_URL }, cwd: os.tmpdir() });
const pg = await benchPostgres(startup.databaseUrl);
const database = await freshDatabase(pg.adminUrl, 'bench_agent');
const work = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-agent-'));
// Sandboxed CLI runtimes run as another user, who must be able to pass through it.
await chmod(work, 0o711);
const home = path.join(work, 'home');
const mocks: MockLlm[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
async function cleanUp() {
  for (const step of cleanups.reverse()) await step().catch(() => undefined);
  for (const mock of mocks) await mock.close().catch(() => undefined);
  await database.drop().catch(() => undefined);
  await pg.stop().catch(() => undefined);
  await rm(work, { recursive: true, force: true });
}
// Ctrl-C must not leave the embedded PostgreSQL or the scratch database behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void cleanUp().finally(() => process.exit(130)));

try {
  const [loopMock, peerMock, proxyMock] = await Promise.all([
    startMockLlm(),
    startMockLlm(),
    startMockLlm({ scenario: PROXY_SCENARIO }),
  ]);
  mocks.push(loopMock, peerMock, proxyMock);
  log(`bench: ${pg.kind}, ${TURNS} read + ${WRITE_TURNS} write turns, ${PAIRS} proxy pairs`);

  // Orchard as `orchard up` builds it, its providers (one per protocol) all on the proxy's mock.
  const config = loadConfig({
    env: {},
    cwd: work,
    flags: {
      home,
      databaseUrl: database.url,
      logLevel: 'silent',
      'rateLimit.tokenPerMinute': 10_000_000,
      'rateLimit.ipPerMinute': 10_000_000,
      llm: {
        providers: [
          {
            name: 'anthropic',
            kind: 'anthropic',
            baseUrl: proxyMock.url,
            apiKey: 'sk-ant-upstream',
            models: [{ id: PROXY_MODEL, input: 3, output: 15 }],
          },
          {
            name: 'openai',
            kind: 'openai-compatible',
            baseUrl: `${proxyMock.url}/v1`,
            apiKey: 'sk-openai-upstream',
            models: [{ id: 'gpt-mock', input: 1.25, output: 10 }],
          },
          {
            name: 'gemini',
            kind: 'gemini',
            baseUrl: proxyMock.url,
            apiKey: 'gemini-upstream',
            models: [{ id: 'gemini-2.5-flash', input: 0.3, output: 2.5 }],
          },
        ],
        aliases: { coder: ['openai/gpt-mock', `anthropic/${PROXY_MODEL}`] },
      },
    },
  });
  const res = await createResources(config, database.url, {
    logger: quiet,
    poolSize: 8,
    metrics: createMetrics({ defaultMetrics: false }),
  });
  await migrate(res.db);
  const http = await createHttp(res, { webRoot: path.join(work, 'no-web') });
  cleanups.push(
    () => res.db.end(),
    () => res.tracing.shutdown(),
    () => res.llm.flush(),
    () => res.bus.close(),
    () => res.browsers.close(),
    () => res.deploy.stop(),
    () => http.close(),
  );
  await http.listen({ port: 0, host: '127.0.0.1' });
  const address = http.server.address();
  const orchardUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const system = { actor: SYSTEM_ACTOR };
  const user = await createUser(res.db, system, {
    username: 'bench',
    email: 'bench@example.test',
    password: 'a long enough password',
    role: 'member',
  });
  const { token } = await createToken(res.db, res.clock, system, {
    userId: user.id,
    name: 'bench',
    scopes: ['read', 'write'],
  });
  const project = await createProject(res.db, system, { name: 'Bench', slug: 'bench' });
  const newSession = async (title: string) =>
    (
      await insertSession(res.db, {
        projectId: project.id,
        runtime: 'llm-agent',
        model: 'coder',
        startedBy: user.id,
        title,
        instructions: '',
        context: {},
        budget: {},
        branch: 'orchard/bench',
      })
    ).id;

  // 1. The agent loop: the gateway (alias coder on its own mock, records in the database) against
  // the same AI SDK provider package with the gateway's options on the peer's mock.
  const loopConfig = loadConfig({
    env: {},
    cwd: work,
    flags: {
      home,
      llm: {
        providers: [
          {
            name: 'openai',
            kind: 'openai-compatible',
            baseUrl: `${loopMock.url}/v1`,
            apiKey: 'sk-bench',
            models: [{ id: 'gpt-mock', input: 1.25, output: 10 }],
          },
        ],
        aliases: { coder: ['openai/gpt-mock'] },
      },
    },
  });
  const gateway = createLlmGateway({
    config: loopConfig,
    logger: quiet,
    metrics: createMetrics({ defaultMetrics: false }),
    db: res.db,
    env: {},
  });
  cleanups.push(() => gateway.flush());
  const peerModel = createOpenAICompatible({
    name: 'openai',
    baseURL: `${peerMock.url}/v1`,
    apiKey: 'sk-bench',
    includeUsage: true,
    supportsStructuredOutputs: true,
  })('gpt-mock');
  const template = path.join(work, 'template');
  const seedSha = await seedRepository(template);
  let repos = 0;
  const freshRepo = async () => {
    const dir = path.join(work, `repo-${++repos}`);
    await cp(template, dir, { recursive: true });
    return dir;
  };
  const loop = async (kind: TurnKind, turns: number) => {
    const runs: LoopSamples[] = [];
    for (let done = 0; done < turns; done += RUN_TURNS)
      runs.push(
        await benchLoop(
          { gateway, orchardMock: loopMock, peerMock: peerMock, peerModel, db: res.db, blobs: res.blobs },
          {
            kind,
            turns: Math.min(RUN_TURNS, turns - done),
            orchardDir: await freshRepo(),
            peerDir: await freshRepo(),
            sessionId: await newSession(kind),
          },
        ),
      );
    return mergeLoopSamples(runs);
  };
  log('agent loop: warm-up…');
  await loop('read', 10);
  await loop('write', 4);
  log(`agent loop: ${TURNS} read_file turns…`);
  const reads = await loop('read', TURNS);
  log(`agent loop: ${WRITE_TURNS} write_file turns…`);
  const writes = await loop('write', WRITE_TURNS);

  // 2. The proxy.
  log(`proxy: ${PAIRS} pairs of plain and streamed requests…`);
  const proxy = await benchProxy({ orchardUrl, token, mockUrl: proxyMock.url, pairs: PAIRS, warmup: 30 });

  // 3. Time to the first model request.
  const llm = {
    anthropic: `${orchardUrl}/llm/anthropic`,
    openai: `${orchardUrl}/llm/openai/v1`,
    gemini: `${orchardUrl}/llm/gemini`,
    apiKey: token,
  };
  const setup = {
    home,
    sandboxUser: projectSandboxUser(project, config.sandbox.uidBase),
    llm,
    projectId: project.id,
    workspace: async () => {
      const dir = await freshRepo();
      return { dir, branch: 'orchard/bench', baseSha: seedSha, projectSlug: project.slug };
    },
  };
  const clis = await cliRuntimes(setup);
  log(clis ? `startup: ${clis.map((c) => c.name).join(', ')}…` : 'startup: no CLI runtimes in this checkout');
  // The built-in runtime goes through the same measurement as a reference (it is no CLI: no
  // sandbox, no proxy, no process to start).
  const reference = agentStarting(
    'llm-agent (built in; reference)',
    () => createLlmAgentRuntime({ gateway: res.llm }),
    setup,
  );
  const startups = await timeToFirstRequest([reference, ...(clis ?? [])], proxyMock, {
    rounds: STARTUP_ROUNDS,
    timeoutMs: 30_000,
    // The first run of a CLI installs it (npm) into Orchard's home.
    warmupTimeoutMs: 300_000,
  });

  await gateway.flush();
  await res.llm.flush();
  const calls = (await res.db.query<{ n: number }>('SELECT count(*)::int AS n FROM llm_calls')).rows[0]!.n;
  process.stdout.write(
    agentReport({
      reads,
      writes,
      proxy,
      startups,
      clisBuilt: Boolean(clis),
      runTurns: RUN_TURNS,
      dbKind: pg.kind,
      calls,
    }),
  );
} finally {
  await cleanUp();
}
process.exit(0);
