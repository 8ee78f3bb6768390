import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from './app.ts';
import { commitFiles, gitOk, listenApp, localRepo, remoteUrl } from './git.ts';
import {
  encodeComponent,
  fromSchema,
  type Hints,
  HOSTILE_RAW_BODIES,
  hostileString,
  hostileValue,
  mutated,
  type OpenApiOperation,
  operationsOf,
  RAW_ENCODINGS,
} from './support/openapi-arbitraries.ts';

/**
 * Every operation in the OpenAPI document, fed generated requests: parameters and bodies shaped by
 * its schemas, known-good values that reach real rows, and hostile ones (NUL, lone surrogates,
 * integers past int4, `%00`, `../`, long strings, wrong types, missing and extra fields, deep
 * nesting). Whatever comes in, the answer is never a 5xx, an error is `application/problem+json`,
 * and a 4xx leaves every table as it was.
 *
 * Deterministic: a fixed seed and a bounded number of requests per operation, no workers (a
 * started build or pipeline stays queued). ORCHARD_FUZZ_SEED and ORCHARD_FUZZ_RUNS override both
 * to explore; a failure prints the seed, the operation and the request.
 */
const SEED = Number(process.env.ORCHARD_FUZZ_SEED ?? 7_301_977);
const RUNS = Number(process.env.ORCHARD_FUZZ_RUNS ?? 16);

/**
 * Columns a request may change without a write of its own: the token's last use (touched at most
 * once a minute by authentication, whatever the answer).
 */
const IGNORED_COLUMNS: Record<string, string[]> = { api_tokens: ['last_used_at'] };

let t: TestApp;
let admin: string;
let operations: OpenApiOperation[] = [];
let hints: Hints;
let last: Map<string, string>;
let sent = 0;

beforeAll(async () => {
  t = await createTestApp({
    'rateLimit.tokenPerMinute': 1_000_000,
    'rateLimit.ipPerMinute': 1_000_000,
    'rateLimit.loginPerMinute': 1_000_000,
    allowPrivateWebhookTargets: true,
  });
  const seeded = await seed();
  hints = seeded.hints;
  const document = (await t.http.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  operations = order(operationsOf(document));
  await installWriteCounters();
  last = await writeCounts();
}, 120_000);
afterAll(async () => {
  process.stdout.write(`route fuzz: ${sent} requests over ${operations.length} operations, seed ${SEED}\n`);
  await t?.close();
});

async function call(method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  return t.http.inject({
    method: method as 'GET',
    url,
    headers: { ...bearer(admin), ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function ok(method: string, url: string, payload?: unknown) {
  const res = await call(method, url, payload);
  if (res.statusCode >= 300) throw new Error(`seed: ${method} ${url} → ${res.statusCode} ${res.body}`);
  return res.statusCode === 204 ? undefined : res.json();
}

/** A project with a repository, branches, an issue, a merge request, a pipeline and the rest. */
async function seed(): Promise<{ hints: Hints }> {
  admin = (await t.user('admin')).token;
  const spare = await t.user('member');
  const spareToken = await ok('POST', '/api/tokens', { name: 'spare', scopes: ['read'] });
  const serviceAccount = await ok('POST', '/api/admin/service-accounts', { username: 'fuzz-bot' });
  const slug = (await ok('POST', '/api/projects', { name: 'Fuzz', slug: 'fuzz' })).slug as string;
  await ok('PUT', `/api/projects/${slug}/members/${spare.user.username}`, { role: 'developer' });
  const webhook = await ok('POST', `/api/projects/${slug}/webhooks`, {
    url: 'http://127.0.0.1:9/hook',
    secret: 'fuzz-secret-1',
    events: ['push', 'issue', 'merge_request', 'pipeline'],
  });

  const base = await listenApp(t);
  const work = await localRepo();
  const pipelineYml = 'jobs:\n  test:\n    steps:\n      - name: test\n        run: "true"\n';
  const head = await commitFiles(
    work,
    { 'README.md': '# fuzz\n', 'docs/a.md': 'a\n', '.orchard/pipeline.yml': pipelineYml },
    'initial',
  );
  await gitOk(['push', '-q', remoteUrl(base, slug, admin), 'main'], work);
  await gitOk(['checkout', '-q', '-b', 'feature'], work);
  await commitFiles(work, { 'docs/b.md': 'b\n' }, 'feature');
  await gitOk(['push', '-q', remoteUrl(base, slug, admin), 'feature'], work);

  await ok('POST', `/api/projects/${slug}/issues`, { title: 'An issue', body: 'text', labels: ['bug'] });
  await ok('POST', `/api/projects/${slug}/issues/1/comments`, { body: 'a comment' });
  const mr = await ok('POST', `/api/projects/${slug}/merge-requests`, {
    title: 'A change',
    sourceBranch: 'feature',
    targetBranch: 'main',
  });
  await ok('POST', `/api/projects/${slug}/merge-requests/${mr.number}/comments`, { body: 'looks good' });
  const pipeline = await ok('POST', `/api/projects/${slug}/pipelines`, { ref: 'main' });
  const schedule = await ok('POST', `/api/projects/${slug}/pipeline-schedules`, {
    ref: 'main',
    cron: '0 * * * *',
  });
  const deliveries = await ok('GET', `/api/projects/${slug}/webhooks/${webhook.id}/deliveries`);
  await ok('PUT', `/api/projects/${slug}/secrets/API_KEY`, { value: 'secret-value' });
  await ok('PUT', '/api/llm/secrets/FUZZ_KEY', { value: 'llm-secret' });
  await ok('POST', '/api/llm/providers', {
    name: 'fuzz',
    kind: 'openai-compatible',
    baseUrl: 'http://127.0.0.1:9/v1',
  });
  const conversation = await ok('POST', '/api/conversations', { title: 'Talk', project: slug });
  await ok('POST', `/api/conversations/${conversation.id}/messages`, { role: 'user', content: 'hello' });
  const blueprint = await ok('POST', `/api/projects/${slug}/blueprints`, {
    prompt: 'a photo gallery where visitors can like photos',
    autopilot: true,
  });
  await ok('POST', `/api/blueprints/${blueprint.id}/messages`, {
    content: 'add field caption:longtext to Photo',
    mode: 'rules',
  });
  // Building one sets it `building` for good (no workers here): the others stay editable.
  const toBuild = await ok('POST', `/api/projects/${slug}/blueprints`, {
    prompt: 'a recipe box with ingredients',
    autopilot: true,
  });
  const operation = await ok('POST', '/api/operations', { kind: 'system.canary', project: slug });
  // Platform services: email attached, and a message in the mailbox (as the relay would keep it).
  await ok('POST', `/api/projects/${slug}/services`, { id: 'email' });
  const project = (await t.res.db.query<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [slug]))
    .rows[0]!;
  const mail = (
    await t.res.db.query<{ id: string }>(
      `INSERT INTO mailbox_messages (project_id, environment_name, envelope_from, envelope_to, subject,
         text_body, size_bytes) VALUES ($1, 'staging', 'app@fuzz.test', '{ada@example.com}', 'Hi', 'hello', 5)
       RETURNING id`,
      [project.id],
    )
  ).rows[0]!;

  const byName: Record<string, unknown[]> = {
    slug: [slug],
    number: [1, mr.number],
    username: [spare.user.username],
    ref: ['main', 'feature', head],
    sourceBranch: ['feature'],
    targetBranch: ['main'],
    sha: [head],
    // main may require checks; feature is not protected (a 400 that names the branch).
    branch: ['main', 'feature'],
    range: ['main...feature', 'main..feature'],
    '*': ['README.md', 'docs', 'docs/a.md'],
    job: ['test'],
    env: ['staging', 'production', 'preview--feature'],
    version: [1, 2],
    from: [1, 2],
    to: [1, 2],
    afterVersion: [0, 1],
    email: ['fuzz@example.test'],
    scheduleId: [schedule.id],
    deliveryId: deliveries.items.map((d: { id: string }) => d.id),
    project: [slug],
    kind: ['system.canary'],
    template: ['crud-app', 'landing-page'],
    prompt: ['a photo gallery where visitors can like photos'],
    content: ['add entity Tag with label:text!', 'help'],
    url: ['http://127.0.0.1:9/hook'],
    baseUrl: ['http://127.0.0.1:9/v1'],
    release: [head.slice(0, 8)],
    cron: ['*/5 * * * *'],
    op: ['add', 'replace', 'remove', 'test'],
    path: ['/feature', '/summary', '/sections/pages/0/name', 'docs'],
    role: ['developer', 'viewer'],
    login: [spare.user.username],
    password: [spare.password],
    fingerprint: ['ab'.repeat(32)],
  };
  const idsByPath: [RegExp, unknown[]][] = [
    [/^\/api\/tokens\//, [spareToken.id]],
    [/^\/api\/admin\/service-accounts\//, [serviceAccount.id]],
    [/^\/api\/users\//, [spare.user.id]],
    [/\/pipelines\/\{id\}/, [pipeline.number, pipeline.id]],
    [/\/webhooks\/\{id\}/, [webhook.id]],
    [/^\/api\/operations\//, [operation.id, pipeline.operationId]],
    [/^\/api\/conversations\//, [conversation.id]],
    [/^\/api\/blueprints\/\{id\}\/build$/, [toBuild.id]],
    [/^\/api\/blueprints\//, [blueprint.id]],
    [/\/services\/\{id\}/, ['email', 'analytics', 'tracing', 'database']],
    [/\/mailbox\/\{id\}/, [mail.id]],
  ];
  const namesByPath: [RegExp, unknown[]][] = [
    [/\/secrets\/\{name\}/, ['API_KEY', 'FUZZ_KEY']],
    [/\/providers\/\{name\}/, ['fuzz']],
  ];
  return {
    hints: (name, path) => {
      if (name === 'id') return idsByPath.find(([re]) => re.test(path))?.[1] ?? [];
      if (name === 'name') return namesByPath.find(([re]) => re.test(path))?.[1] ?? [];
      return Object.hasOwn(byName, name) ? byName[name]! : [];
    },
  };
}

/** Operations that end what others need (revoking, deleting, archiving) go last, archive before unarchive. */
function order(all: OpenApiOperation[]): OpenApiOperation[] {
  const rank = (op: OpenApiOperation) =>
    op.path.endsWith('/archive') ? 3 : op.path.endsWith('/unarchive') ? 4 : op.method === 'DELETE' ? 2 : 1;
  return [...all].sort((a, b) => rank(a) - rank(b));
}

/**
 * Counts every committed row change per table: an AFTER ROW trigger on each table bumps a counter
 * in the same transaction, so a write that is rolled back leaves the counter as it was, and a write
 * that is committed (even one that stores what was there) moves it. One small read per request.
 * An UPDATE that changes only ignored columns is not counted.
 */
async function installWriteCounters(): Promise<void> {
  const { rows } = await t.res.db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
       -- A partition gets its parent's trigger (and counts under its own name).
       AND NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                       WHERE c.relname = table_name AND c.relnamespace = 'public'::regnamespace)
     ORDER BY 1`,
  );
  await t.res.db.query(`
    CREATE TABLE fuzz_writes (table_name text PRIMARY KEY, n bigint NOT NULL);
    CREATE FUNCTION fuzz_count_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - TG_ARGV) = (to_jsonb(OLD) - TG_ARGV) THEN RETURN NULL; END IF;
      INSERT INTO fuzz_writes VALUES (TG_TABLE_NAME, 1)
        ON CONFLICT (table_name) DO UPDATE SET n = fuzz_writes.n + 1;
      RETURN NULL;
    END $$;`);
  for (const { name } of rows) {
    const ignored = (IGNORED_COLUMNS[name] ?? []).map((c) => `'${c}'`).join(', ');
    await t.res.db.query(
      `CREATE TRIGGER fuzz_count_write AFTER INSERT OR UPDATE OR DELETE ON "${name}"
       FOR EACH ROW EXECUTE FUNCTION fuzz_count_write(${ignored})`,
    );
  }
}

async function writeCounts(): Promise<Map<string, string>> {
  const { rows } = await t.res.db.query<{ name: string; n: string }>(
    'SELECT table_name AS name, n FROM fuzz_writes',
  );
  return new Map(rows.map((r) => [r.name, String(r.n)]));
}

interface Request {
  method: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

type Part = { text: string } | { raw: string };

/** What goes wrong in one request: nothing, or one part of it (a parameter, the query, the body). */
type Harm =
  | { where: 'none' }
  | { where: 'path'; index: number; value: Part }
  | { where: 'query'; name: string; value: string }
  | { where: 'body'; payload: unknown }
  | { where: 'raw'; payload: string; headers: Record<string, string> };

/**
 * A request that would be accepted (known-good path parameters, schema-shaped query and body) with
 * at most one hostile change, so a hostile value reaches the code behind the checks it is not
 * meant for, instead of every request stopping at the first bad parameter.
 */
function requestArbitrary(op: OpenApiOperation): fc.Arbitrary<Request> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');

  const goodParam = (name: string, schema: Parameters<typeof fromSchema>[0]) => {
    const known = hints(name, op.path);
    const shaped = fromSchema(schema).map((v) => String(v));
    return known.length
      ? fc.oneof(
          { weight: 9, arbitrary: fc.constantFrom(...known.map(String)) },
          { weight: 1, arbitrary: shaped },
        )
      : shaped;
  };
  const params = fc.tuple(...pathParams.map((p) => goodParam(p.name, p.schema)));
  const query = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(fromSchema(p.schema, hints(p.name, op.path)).map(String), { nil: undefined, freq: 2 }),
    ),
  );
  const valid = op.body ? fromBody(op) : undefined;
  const body = valid ?? fc.constant(undefined);

  const hostilePart: fc.Arbitrary<Part> = fc.oneof(
    { weight: 4, arbitrary: hostileString.map((text) => ({ text })) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_ENCODINGS).map((raw) => ({ raw })) },
  );
  const harms: { weight: number; arbitrary: fc.Arbitrary<Harm> }[] = [
    { weight: 2, arbitrary: fc.constant({ where: 'none' as const }) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...queryParams.map((p) => p.name), 'extra', '__proto__'), hostileString)
        .map(([name, value]) => ({ where: 'query' as const, name, value })),
    },
    { weight: 1, arbitrary: rawBody.map((raw) => ({ where: 'raw' as const, ...raw })) },
  ];
  if (pathParams.length)
    harms.push({
      weight: 3,
      arbitrary: fc
        .tuple(fc.nat(pathParams.length - 1), hostilePart)
        .map(([index, value]) => ({ where: 'path' as const, index, value })),
    });
  if (valid)
    harms.push({
      weight: 5,
      arbitrary: mutated(valid).map((payload) => ({ where: 'body' as const, payload })),
    });

  return fc.tuple(params, query, body, fc.oneof(...harms)).map(([p, q, payload, harm]) => {
    const parts: Part[] = p.map((text) => ({ text }));
    if (harm.where === 'path') parts[harm.index] = harm.value;
    let i = 0;
    const path = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodePart(name, parts[i++]!));
    const pairs = queryParams
      .map((qp, j) => (q[j] === undefined ? undefined : [qp.name, q[j]!]))
      .filter((pair): pair is [string, string] => pair !== undefined)
      .filter(([name]) => harm.where !== 'query' || name !== harm.name)
      .map(([name, value]) => `${encodeComponent(name)}=${encodeComponent(value)}`);
    if (harm.where === 'query') pairs.push(`${encodeComponent(harm.name)}=${encodeComponent(harm.value)}`);
    const url = pairs.length ? `${path}?${pairs.join('&')}` : path;
    if (harm.where === 'raw') return { method: op.method, url, payload: harm.payload, headers: harm.headers };
    const sent = harm.where === 'body' ? harm.payload : payload;
    return { method: op.method, url, ...(sent === undefined ? {} : { payload: sent }) };
  });
}

function encodePart(name: string, part: Part): string {
  if ('raw' in part) return part.raw;
  return name === '*' ? part.text.split('/').map(encodeComponent).join('/') : encodeComponent(part.text);
}

const rawBody = fc
  .constantFrom(...HOSTILE_RAW_BODIES)
  .map(({ contentType, text }) => ({ payload: text, headers: { 'content-type': contentType } }));

/** A body shaped by the schema with known-good members where the names say what they are. */
function fromBody(op: OpenApiOperation): fc.Arbitrary<unknown> {
  const schema = op.body!;
  if (op.path === '/api/blueprints/{id}' && op.method === 'PATCH') {
    // The schema says "array of objects"; JSON Patch operations reach the Blueprint's own checks.
    const patchOp = fc.record({
      op: fc.constantFrom('add', 'replace', 'remove', 'test', 'move', 'copy'),
      path: fc.constantFrom(
        '/feature',
        '/summary',
        '/sections/pages/0/name',
        '/sections/dataModel/entities/-',
        '/x/~2',
      ),
      from: fc.constantFrom('/feature', '/summary'),
      value: fc.oneof(fc.string({ maxLength: 20 }), hostileValue),
    });
    return fc.array(patchOp, { minLength: 1, maxLength: 3 });
  }
  const withHints = (s: typeof schema, name?: string): fc.Arbitrary<unknown> => {
    if (s.type === 'object' && s.properties) {
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(s.properties)) model[key] = withHints(value, key);
      return fc.record(model, { requiredKeys: s.required ?? [] });
    }
    return fromSchema(s, name ? hints(name, op.path) : []);
  };
  return withHints(schema);
}

function describeRequest(req: Request): string {
  const body =
    req.payload === undefined
      ? ''
      : ` body ${(typeof req.payload === 'string' ? req.payload : JSON.stringify(req.payload)).slice(0, 600)}`;
  return `${req.method} ${req.url.slice(0, 600)}${body}${req.headers ? ` ${JSON.stringify(req.headers)}` : ''}`;
}

describe('every operation in the OpenAPI document, fuzzed', () => {
  it('covers the document, and every /api route outside it is one the document describes itself by', () => {
    expect(operations.length).toBeGreaterThan(100);
    const routeOf = (op: OpenApiOperation) =>
      `${op.method} ${op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => (name === '*' ? '*' : `:${name}`))}`;
    const documented = new Set(operations.map(routeOf));
    const undocumented = t.http.routeTable
      .filter((r) => r.url.startsWith('/api/') && !documented.has(`${r.method} ${r.url}`))
      .map((r) => `${r.method} ${r.url}`);
    expect(undocumented.filter((r) => !r.startsWith('GET /api/docs'))).toEqual(['GET /api/openapi.json']);
  });

  it('counts committed writes and only those: a created issue moves the count, a refused one does not', async () => {
    const before = await writeCounts();
    const refused = await call('POST', '/api/projects/fuzz/issues', { title: '' });
    expect(refused.statusCode).toBe(400);
    expect(await writeCounts()).toEqual(before);
    const created = await call('POST', '/api/projects/fuzz/issues', { title: 'counted' });
    expect(created.statusCode).toBe(201);
    const after = await writeCounts();
    expect(Number(after.get('issues'))).toBe(Number(before.get('issues') ?? 0) + 1);
    last = after;
  });

  it('answers every generated request below 500, with problem+json errors and no write on a 4xx', async () => {
    const failures: string[] = [];
    for (const [index, op] of operations.entries()) {
      const seed = SEED + index;
      const property = fc.asyncProperty(requestArbitrary(op), async (req) => {
        sent++;
        const res = await call(req.method, req.url, req.payload, req.headers);
        const before = last;
        last = await writeCounts();
        const fail = (what: string) => {
          throw new Error(
            `${what}\n  request: ${describeRequest(req)}\n  response: ${res.statusCode} ${res.body.slice(0, 400)}` +
              serverLines(res.headers['x-request-id'] as string),
          );
        };
        if (res.statusCode >= 500) fail('answered 5xx');
        if (res.statusCode < 400) return;
        if (!String(res.headers['content-type']).startsWith('application/problem+json'))
          fail('error without application/problem+json');
        const problem = res.json() as { status?: number; code?: string };
        if (problem.status !== res.statusCode) fail('problem status differs from the HTTP status');
        // The database's refusal is the last line of defence, not validation: a field went unnamed.
        if (problem.code === 'invalid_input') fail('a value got past validation to the database');
        const changed = [...last].filter(([name, n]) => before.get(name) !== n).map(([name]) => name);
        if (changed.length) fail(`a ${res.statusCode} wrote to ${changed.join(', ')}`);
      });
      const run = await fc.check(property, { seed, numRuns: RUNS, endOnFailure: true });
      if (run.failed)
        failures.push(
          `${op.method} ${op.path} (seed ${seed}, path ${run.counterexamplePath}): ${
            run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance)
          }`,
        );
    }
    expect(failures, `${failures.length} operations failed:\n\n${failures.join('\n\n')}`).toEqual([]);
  }, 600_000);
});

/** The server's warnings and errors for one request (with the first frames), for the failure message. */
function serverLines(requestId: string): string {
  const lines = t.logs
    .filter((line) => line.includes(requestId) && /"level":(40|50)/.test(line))
    .map((line) => {
      const parsed = JSON.parse(line) as { err?: { message?: string; stack?: string } };
      const stack = (parsed.err?.stack ?? '').split('\n').slice(1, 4).join('\n    ');
      return `\n  server: ${parsed.err?.message ?? line.slice(0, 300)}\n    ${stack}`;
    });
  return lines.join('');
}
