/**
 * A lint of the Dockerfile, not a build: this machine has no Docker engine, so nothing here proves
 * the image builds or runs. It checks what can be checked from the repository: what COPY takes
 * exists and is in the build context, the packages apt installs, the user, the environment Orchard
 * reads, the entrypoint's command, that the run-time dependencies survive `npm prune --omit=dev`,
 * and it runs the HEALTHCHECK's own command against Orchard's HTTP server.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { WEB_ROOT } from '../src/app.ts';
import { CLI_COMMANDS } from '../src/cli/commands.ts';
import { ENV_KEYS, loadConfig } from '../src/config.ts';
import { systemClock } from '../src/platform/clock.ts';
import { createHttpServer, type HttpApp } from '../src/platform/http/server.ts';
import { createLogger } from '../src/platform/log.ts';
import { createMetrics } from '../src/platform/metrics.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Instruction {
  keyword: string;
  args: string;
  /** Index of the build stage (each FROM starts one). */
  stage: number;
}

/** Instructions with their continuation lines joined; comments and blank lines dropped. */
function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let stage = -1;
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    pending += `${line.replace(/\\$/, '').trim()} `;
    if (line.endsWith('\\')) continue;
    const [keyword = '', ...rest] = pending.trim().split(/\s+/);
    pending = '';
    if (keyword.toUpperCase() === 'FROM') stage++;
    instructions.push({ keyword: keyword.toUpperCase(), args: rest.join(' '), stage });
  }
  return instructions;
}

/** `KEY=value` pairs of ENV, ARG and LABEL (values may be double-quoted). */
function pairs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of args.matchAll(/([\w.-]+)=("([^"]*)"|\S*)/g)) out[m[1]!] = m[3] ?? m[2]!;
  return out;
}

/** A .dockerignore pattern as a regular expression over paths relative to the context. */
function ignoreRegex(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]]/g, '\\$&')
    .replace(/\*\*\//g, '\u0000')
    .replace(/\*\*/g, '.*')
    .replace(/\*/g, '[^/]*')
    .replace(/\u0000/g, '(.*/)?');
  return new RegExp(`^${body}(/.*)?$`);
}

/** Every non-test TypeScript or JavaScript file under `dir`. */
async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs|js)$/.test(e.name))
    .filter((e) => !/\.test\.ts$|\.test-support\.ts$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

const text = await readFile(path.join(ROOT, 'Dockerfile'), 'utf8');
const instructions = parseDockerfile(text);
const finalStage = Math.max(...instructions.map((i) => i.stage));
const runtime = instructions.filter((i) => i.stage === finalStage);
/** The arguments of the runtime stage's one `keyword` instruction. */
function one(keyword: string): string {
  const found = runtime.filter((i) => i.keyword === keyword);
  if (found.length !== 1)
    throw new Error(`the runtime stage has ${found.length} ${keyword} instructions, not 1`);
  return found[0]!.args;
}

/** Orchard's HTTP server with its platform routes only (/health, /ready, /metrics): no database. */
function platformServer(): Promise<HttpApp> {
  return createHttpServer({
    logger: createLogger({ level: 'silent' }),
    metrics: createMetrics({ defaultMetrics: false }),
    clock: systemClock,
    bodyLimitBytes: 1024,
    rateLimit: { ipPerMinute: 600, tokenPerMinute: 600, loginPerMinute: 20 },
    trustProxy: false,
    hsts: false,
    authenticate: async () => undefined,
    readiness: async () => ({ ok: true, checks: {} }),
    routes: [],
  });
}
const env = Object.assign(
  {},
  ...runtime.filter((i) => i.keyword === 'ENV').map((i) => pairs(i.args)),
) as Record<string, string>;

describe('Dockerfile (a lint: the image is not built here)', () => {
  it('copies only paths that exist and that .dockerignore leaves in the build context', async () => {
    const ignored = (await readFile(path.join(ROOT, '.dockerignore'), 'utf8'))
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map(ignoreRegex);
    const copies = instructions.filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='));
    expect(copies.length).toBeGreaterThan(3);
    for (const copy of copies) {
      const sources = copy.args.split(/\s+/).filter((a) => !a.startsWith('--'));
      sources.pop(); // the destination
      for (const source of sources) {
        expect(existsSync(path.join(ROOT, source)), source).toBe(true);
        expect(
          ignored.filter((r) => r.test(source)),
          `${source} is left out by .dockerignore`,
        ).toEqual([]);
      }
    }
    // What bin/orchard needs at run time is in the image: the CLI runs src/ through tsx.
    const copied = runtime.filter((i) => i.keyword === 'COPY').map((i) => i.args.split(/\s+/).at(-1));
    for (const dir of ['./bin', './src', './migrations', './templates', './node_modules', './dist'])
      expect(copied).toContain(dir);
    // The web UI is built into dist/web, which is where the server serves it from.
    expect(path.relative(ROOT, WEB_ROOT)).toBe(path.join('dist', 'web'));
    expect(await readFile(path.join(ROOT, 'web/vite.config.ts'), 'utf8')).toContain("'../dist/web'");
  });

  it('runs as a fixed non-root user, the one the Kubernetes manifests run as', async () => {
    const user = one('USER');
    expect(user).toMatch(/^\d+:\d+$/);
    const [uid, gid] = user.split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    expect(text).toContain(`useradd --uid ${uid} --gid ${gid}`);
    const manifests = YAML.parseAllDocuments(
      await readFile(path.join(ROOT, 'deploy/kubernetes/__golden__/production.yaml'), 'utf8'),
    ).map((d) => d.toJS());
    const server = manifests.find((o) => o?.kind === 'Deployment' && o.metadata.name === 'orchard-server');
    expect(server.spec.template.spec.securityContext).toMatchObject({ runAsUser: uid, runAsGroup: gid });
  });

  it('installs Chromium, git, bubblewrap and the rest with apt, without recommended packages', () => {
    const install = runtime.find((i) => i.keyword === 'RUN' && i.args.includes('apt-get install'));
    expect(install).toBeDefined();
    const words = install!.args.split(/\s+/);
    const start = words.indexOf('install');
    const packages = words.slice(start + 1, words.indexOf('&&', start)).filter((w) => !w.startsWith('-'));
    expect(words).toContain('--no-install-recommends');
    for (const name of ['chromium', 'git', 'git-lfs', 'bubblewrap', 'slirp4netns', 'ca-certificates', 'tini'])
      expect(packages).toContain(name);
  });

  it('sets only environment Orchard reads, and its configuration loads from it', () => {
    for (const name of Object.keys(env).filter((n) => n.startsWith('ORCHARD_'))) {
      // ORCHARD_VERSION only tells a shell in the container what image it is (like the label).
      if (name !== 'ORCHARD_VERSION') expect(ENV_KEYS[name], name).toBeDefined();
    }
    const config = loadConfig({ env, cwd: ROOT });
    expect(config.home).toBe('/var/lib/orchard');
    expect(config.host).toBe('0.0.0.0');
    expect(config.automation.chromiumPath).toBe('/usr/bin/chromium');
    expect(one('EXPOSE')).toBe(String(config.port));
    expect(JSON.parse(one('VOLUME'))).toEqual([config.home]);
  });

  it('carries the version it was built for as OCI labels and ORCHARD_VERSION', () => {
    expect(runtime.some((i) => i.keyword === 'ARG' && i.args.startsWith('ORCHARD_VERSION'))).toBe(true);
    const labels = Object.assign(
      {},
      ...runtime.filter((i) => i.keyword === 'LABEL').map((i) => pairs(i.args)),
    );
    // The build arguments themselves, expanded by the builder.
    const arg = (name: string) => `$\{${name}}`;
    expect(labels['org.opencontainers.image.version']).toBe(arg('ORCHARD_VERSION'));
    expect(labels['org.opencontainers.image.revision']).toBe(arg('ORCHARD_REVISION'));
    expect(env.ORCHARD_VERSION).toBe(arg('ORCHARD_VERSION'));
  });

  it('runs bin/orchard under tini, `up` by default, and `up` is an Orchard command', () => {
    expect(JSON.parse(one('ENTRYPOINT'))).toEqual(['tini', '--', 'node', 'bin/orchard']);
    expect(existsSync(path.join(ROOT, 'bin/orchard'))).toBe(true);
    const [command] = JSON.parse(one('CMD')) as string[];
    const program = new Command('orchard');
    for (const register of CLI_COMMANDS) register(program);
    expect(program.commands.map((c) => c.name())).toContain(command);
  });

  it('keeps every package bin/ and src/ import at run time after pruning devDependencies', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(text).toContain('npm prune --omit=dev');
    const builtins = new Set(builtinModules);
    const missing: string[] = [];
    for (const file of [...(await sourceFiles('bin')), ...(await sourceFiles('src')), 'bin/orchard']) {
      const source = await readFile(path.join(ROOT, file), 'utf8');
      // Type-only imports are erased by tsx; everything else is loaded at run time.
      const specifiers = [
        ...source.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^']+)'/gm),
        ...source.matchAll(/^\s*import\s+'([^']+)'/gm),
        ...source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
      ].map((m) => m[1]!);
      for (const spec of specifiers) {
        if (spec.startsWith('.') || spec.startsWith('node:') || builtins.has(spec)) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!pkg.dependencies[name]) missing.push(`${file}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  describe('HEALTHCHECK', () => {
    let http: HttpApp;
    let port: number;
    const [, probe] = /^.*?CMD\s+(\[.*\])$/.exec(one('HEALTHCHECK')) ?? [];
    const argv = JSON.parse(probe ?? '[]') as string[];
    const check = (portValue: number) =>
      new Promise<number | null>((resolve, reject) => {
        const child = spawn(argv[0]!, argv.slice(1), {
          env: { PATH: process.env.PATH, ORCHARD_PORT: String(portValue) },
          stdio: 'ignore',
        });
        child.on('error', reject);
        child.on('close', resolve);
      });

    beforeAll(async () => {
      http = await platformServer();
      await http.listen({ port: 0, host: '127.0.0.1' });
      port = (http.server.address() as { port: number }).port;
    });
    afterAll(async () => {
      await http?.close();
    });

    it('is node (no curl in the slim image) asking a path the server serves without signing in', async () => {
      expect(argv.slice(0, 2)).toEqual(['node', '-e']);
      const [, route] = /\/(\w+)'/.exec(argv[2] ?? '') ?? [];
      const answer = await http.inject({ method: 'GET', url: `/${route}` });
      expect(answer.statusCode).toBe(200);
    });

    it('passes while the server answers, and fails when nothing listens', async () => {
      expect(await check(port)).toBe(0);
      const closed = await platformServer();
      await closed.listen({ port: 0, host: '127.0.0.1' });
      const freed = (closed.server.address() as { port: number }).port;
      await closed.close();
      expect(await check(freed)).toBe(1);
    });
  });
});
