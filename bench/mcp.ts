// npm run bench:mcp [calls] [rounds] — a tool call over MCP (the official client, Streamable HTTP)
// against the HTTP route it wraps, on one `orchard up` (embedded PostgreSQL): `list_issues` vs
// GET /api/projects/:slug/issues, sequential calls from one client, the kinds of call taking turns
// call by call so that load from elsewhere on the machine falls on all of them alike (in blocks of
// 200, rounds differed by ±0.2×). Prints median latencies and their ratio (the target is ≤ 1.2×).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { benchEnv } from './support/bench-env.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'orch_benchbenchbenchbenchbenchbench01';
const CALLS = Number(process.argv[2] ?? 200);
const ROUNDS = Number(process.argv[3] ?? 5);

const home = await mkdtemp(path.join(os.tmpdir(), 'orchard-bench-mcp-'));
const child: ChildProcess = spawn(
  process.execPath,
  [path.join(ROOT, 'bin', 'orchard'), 'up', '--port', '0', '--home', home],
  { cwd: ROOT, env: benchEnv(TOKEN), stdio: ['ignore', 'pipe', 'inherit'] },
);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = out.match(/running at (http:\/\/\S+)/);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`orchard exited ${code}: ${out}`)));
  });
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const slug = (
    (await (
      await fetch(`${url}/api/projects`, { method: 'POST', headers, body: JSON.stringify({ name: 'Bench' }) })
    ).json()) as {
      slug: string;
    }
  ).slug;
  for (let i = 0; i < 20; i++)
    await fetch(`${url}/api/projects/${slug}/issues`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: `Issue ${i}` }),
    });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', url), {
      requestInit: { headers: { authorization: headers.authorization } },
    }),
  );
  const viaMcp = async () => {
    const r = await client.callTool({ name: 'list_issues', arguments: { slug } });
    if (r.isError) throw new Error(JSON.stringify(r.content));
  };
  // The same call as raw JSON-RPC over fetch: the server's share, without the client library's.
  let id = 0;
  const viaRaw = async () => {
    const r = await fetch(`${url}/mcp`, {
      method: 'POST',
      headers: { ...headers, accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: ++id,
        method: 'tools/call',
        params: { name: 'list_issues', arguments: { slug } },
      }),
    });
    const text = await r.text();
    if (!r.ok || !text.includes('"result"') || text.includes('"isError":true'))
      throw new Error(text.slice(0, 300));
  };
  const viaHttp = async () => {
    const r = await fetch(`${url}/api/projects/${slug}/issues`, { headers });
    if (!r.ok) throw new Error(`${r.status}`);
    await r.json();
  };
  const order = [
    ['mcp', viaMcp],
    ['raw', viaRaw],
    ['http', viaHttp],
  ] as const;
  /**
   * One round: the three kinds of call in turn, call by call (each time in another order), so that
   * whatever else the machine does falls on all three alike; the median of each kind.
   */
  const round = async () => {
    const took = { mcp: [] as number[], raw: [] as number[], http: [] as number[] };
    for (let i = 0; i < CALLS; i++)
      for (let k = 0; k < order.length; k++) {
        const [name, call] = order[(i + k) % order.length]!;
        const t0 = performance.now();
        await call();
        took[name].push(performance.now() - t0);
      }
    return { mcp: median(took.mcp), raw: median(took.raw), http: median(took.http) };
  };
  await round(); // warm-up
  const samples = { mcp: [] as number[], raw: [] as number[], http: [] as number[] };
  const ratios = { mcp: [] as number[], raw: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    const got = await round();
    for (const name of ['mcp', 'raw', 'http'] as const) samples[name].push(got[name]);
    ratios.mcp.push(got.mcp / got.http);
    ratios.raw.push(got.raw / got.http);
  }
  const ms = (xs: number[]) => `${median(xs).toFixed(2)} ms`;
  console.log(
    `median latency, ${CALLS} sequential calls of each kind in turn × ${ROUNDS} rounds: list_issues with the official MCP client ${ms(samples.mcp)}, as raw JSON-RPC ${ms(samples.raw)}; GET /api/projects/:slug/issues ${ms(samples.http)}`,
  );
  for (const [name, xs] of Object.entries(ratios))
    console.log(
      `ratio ${name === 'mcp' ? 'MCP client' : 'raw JSON-RPC'} / HTTP: ${median(xs).toFixed(2)}× (rounds ${xs.map((r) => r.toFixed(2)).join(', ')}; target ≤ 1.2×)`,
    );
  await client.close();
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await rm(home, { recursive: true, force: true });
}
