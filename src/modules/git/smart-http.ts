import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { hasScope } from '../../platform/http/actor.ts';
import { orchardOrigin } from '../../platform/http/orchard-origin.ts';
import type { HttpApp } from '../../platform/http/server.ts';
import type { Resources } from '../../platform/resources.ts';
import { requireProjectRole, roleAtLeast } from '../projects/index.ts';
import { authenticateGitRequest } from './git-auth.ts';
import { ensureHooks } from './git-hooks.ts';
import { GitTimeoutError, gitLimits, killGitGroup, seconds, spawnGit } from './git-process.ts';
import { handlePush, readPushLog } from './handle-push.ts';
import type { PushListener } from './push.ts';
import { ensureRepository, PROTECTED_BRANCHES } from './repository.ts';
import { type SecretScanEnv, secretScanEnv } from './secret-scan/secret-scan-env.ts';
import { holdRepository } from './worktree.ts';

type Service = 'upload-pack' | 'receive-pack';
const SERVICES = new Set(['git-upload-pack', 'git-receive-pack']);
/** `version=2`, `version=2:object-format=sha1`: what GIT_PROTOCOL may carry (it reaches git's environment). */
const GIT_PROTOCOL = /^[A-Za-z0-9=._-]+(?::[A-Za-z0-9=._-]+)*$/;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

const NO_CACHE = {
  expires: 'Fri, 01 Jan 1980 00:00:00 GMT',
  pragma: 'no-cache',
  'cache-control': 'no-cache, max-age=0, must-revalidate',
};

export interface SmartHttpDeps {
  /** Told about every push once receive-pack has applied it. */
  onPush: PushListener[];
}

/** Git's smart HTTP protocol at `/git/<slug>.git/…`, served by `git upload-pack|receive-pack --stateless-rpc`. */
export function smartHttpRoutes(res: Resources, deps: SmartHttpDeps) {
  const pushesTotal = res.metrics.counter(
    'orchard_git_requests_total',
    'Git smart HTTP requests by service',
    ['service'],
  );
  return async (app: HttpApp) => {
    // Packs are streamed straight into git; Fastify must neither buffer nor size-limit them.
    app.addContentTypeParser(/^application\/x-git-/, (_request, payload, done) => done(null, payload));

    const access = async (request: FastifyRequest, service: Service) => {
      const params = request.params as { repo: string };
      const slug = params.repo.replace(/\.git$/, '');
      if (!SLUG.test(slug)) throw new NotFoundError(`No repository "${params.repo}".`);
      const actor = await authenticateGitRequest(res.db, res.clock, request);
      const needed = service === 'receive-pack' ? 'write' : 'read';
      if (!hasScope(actor, needed)) throw new ForbiddenError(`This token lacks the ${needed} scope.`);
      const { project, role } = await requireProjectRole(
        res.db,
        actor,
        slug,
        service === 'receive-pack' ? 'developer' : 'viewer',
      );
      const repo = await ensureRepository(res.config.home, slug);
      return { actor, project, role, repo };
    };

    const protocolEnv = (request: FastifyRequest): Record<string, string> => {
      const header = request.headers['git-protocol'];
      if (typeof header !== 'string' || !header) return {};
      if (!GIT_PROTOCOL.test(header) || header.length > 256)
        throw new ValidationError('Invalid Git-Protocol header.');
      return { GIT_PROTOCOL: header };
    };

    app.get('/git/:repo/info/refs', { schema: { hide: true } }, async (request, reply) => {
      const service = (request.query as { service?: string }).service ?? '';
      try {
        if (!SERVICES.has(service))
          throw new ForbiddenError('Only smart HTTP is served: git clients send ?service=git-upload-pack.');
        const svc = service.slice(4) as Service;
        const { repo } = await access(request, svc);
        const env = protocolEnv(request);
        pushesTotal.inc({ service: `${svc}-advertise` });
        const child = spawnGit([svc, '--stateless-rpc', '--advertise-refs', repo], { env });
        child.stdin.end();
        const out = new PassThrough();
        // http-backend sends the service line only for protocol v0/v1; v2 starts with its capabilities.
        if (!env.GIT_PROTOCOL?.includes('version=2')) out.write(pktLine(`# service=${service}\n`) + '0000');
        child.stdout.pipe(out, { end: false });
        const transfer = watchTransfer(child, svc);
        child.stderr.on('data', (chunk: Buffer) =>
          request.log.warn({ stderr: chunk.toString() }, 'git advertise-refs'),
        );
        child.on('error', (error) => out.destroy(error));
        let sent = false;
        // Cut short, the response must end as an error (the client sees a broken transfer, not a
        // complete one); unsent, it is just discarded.
        child.on('close', () =>
          transfer.error ? out.destroy(sent ? transfer.error : undefined) : out.end(),
        );
        if (!(await firstOutput(child)) && transfer.error) throw transfer.error;
        sent = true;
        return reply
          .headers({ ...NO_CACHE, 'content-type': `application/x-${service}-advertisement` })
          .send(out);
      } catch (error) {
        return sendGitError(reply, error);
      }
    });

    for (const svc of ['upload-pack', 'receive-pack'] as const) {
      app.post(`/git/:repo/git-${svc}`, { schema: { hide: true } }, async (request, reply) => {
        try {
          if (request.headers['content-type'] !== `application/x-git-${svc}-request`) {
            throw new ValidationError(`Send the body as application/x-git-${svc}-request.`);
          }
          const { actor, project, role, repo } = await access(request, svc);
          const env: Record<string, string> = protocolEnv(request);
          const args = [svc, '--stateless-rpc', repo];
          let pushLog: string | undefined;
          let scan: SecretScanEnv | undefined;
          if (svc === 'receive-pack') {
            const hooks = await ensureHooks(res.config.home);
            const tmp = path.join(res.config.home, 'tmp');
            await mkdir(tmp, { recursive: true });
            pushLog = path.join(tmp, `push-${randomBytes(8).toString('hex')}.log`);
            // The pre-receive hook scans the push for secrets with what this computes up front.
            scan = await secretScanEnv(res, {
              project,
              repo,
              origin: orchardOrigin(res.config.publicUrl, request),
            });
            Object.assign(env, scan.env, {
              ORCHARD_PROTECTED_REFS: PROTECTED_BRANCHES.map((b) => `refs/heads/${b}`).join(' '),
              ORCHARD_MAY_UPDATE_PROTECTED: roleAtLeast(role, 'maintainer') ? '1' : '0',
              ORCHARD_PUSH_LOG: pushLog,
              // Agent tokens: the update hook holds every ref to the token's branches.
              ...(actor.delegation
                ? {
                    ORCHARD_AGENT_FOR: actor.delegation.byUsername,
                    ORCHARD_AGENT_BRANCHES: actor.delegation.pushBranches,
                  }
                : {}),
            });
            args.unshift('-c', `core.hooksPath=${hooks}`);
          }
          pushesTotal.inc({ service: svc });
          const body = decodeBody(request);
          // A push is checked against every ref and worktree HEAD: no worktree is made meanwhile.
          const held = svc === 'receive-pack' ? await holdRepository(repo) : undefined;
          let released = false;
          const release = () => {
            if (released) return;
            released = true;
            held?.();
          };
          let child: ReturnType<typeof spawnGit>;
          try {
            child = spawnGit(args, { env });
          } catch (error) {
            release();
            scan?.release();
            throw error;
          }
          child.once('error', release);
          child.once('close', release);
          const out = new PassThrough();
          const transfer = watchTransfer(child, svc);
          let sent = false;
          // Bytes arriving from the client are movement too (a large push uploads before git answers).
          body.on('data', transfer.moved);
          body.on('error', () => killGitGroup(child));
          request.raw.on('close', () => {
            if (!request.raw.complete) killGitGroup(child);
          });
          body.pipe(child.stdin);
          child.stdin.on('error', () => undefined);
          child.stdout.pipe(out, { end: false });
          child.stderr.on('data', (chunk: Buffer) =>
            request.log.warn({ stderr: chunk.toString() }, `git ${svc}`),
          );
          child.on('error', (error) => out.destroy(error));
          child.on('close', async (code) => {
            scan?.release();
            if (transfer.error) request.log.warn({ service: svc }, transfer.error.message);
            else if (code !== 0) request.log.warn({ code, service: svc }, 'git exited with an error');
            if (pushLog) {
              // Push handling runs before the response ends, so `git push` returns once pipelines
              // and merge-request updates are recorded.
              const updates = await readPushLog(pushLog);
              if (updates.length) {
                await handlePush(res, deps.onPush, {
                  projectId: project.id,
                  projectSlug: project.slug,
                  repo,
                  actor,
                  updates,
                }).catch((error) => request.log.error({ err: error }, 'push handling failed'));
              }
            }
            if (transfer.error) out.destroy(sent ? transfer.error : undefined);
            else out.end();
          });
          // Answer once git says something: a git that stops before it does gets a 504, not an empty 200.
          if (!(await firstOutput(child)) && transfer.error) throw transfer.error;
          sent = true;
          return reply.headers({ ...NO_CACHE, 'content-type': `application/x-git-${svc}-result` }).send(out);
        } catch (error) {
          return sendGitError(reply, error);
        }
      });
    }
  };
}

/**
 * Kills git, with everything it started, once no bytes moved either way for `git.transferIdleMs`:
 * a stalled client or a git stuck on something never holds a process forever, while a transfer
 * that keeps moving is never cut however long it takes. `error` is set once it had to.
 */
function watchTransfer(child: ChildProcessWithoutNullStreams, service: string) {
  const idleMs = gitLimits().transferIdleMs;
  let timer: NodeJS.Timeout | undefined;
  const state = {
    error: undefined as GitTimeoutError | undefined,
    moved() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        state.error = new GitTimeoutError(
          `git ${service} stopped: no data moved for ${seconds(idleMs)}; try again (the limit is git.transferIdleMs).`,
        );
        killGitGroup(child);
      }, idleMs);
    },
  };
  state.moved();
  child.stdout.on('data', state.moved);
  child.on('close', () => clearTimeout(timer));
  return state;
}

/** True once git wrote its first bytes; false when it ended (or failed to start) before that. */
function firstOutput(child: ChildProcessWithoutNullStreams): Promise<boolean> {
  return new Promise((resolve) => {
    child.stdout.once('data', () => resolve(true));
    child.once('close', () => resolve(false));
    child.once('error', () => resolve(false));
  });
}

function decodeBody(request: FastifyRequest): Readable {
  const raw = request.body as Readable;
  const encoding = request.headers['content-encoding'];
  if (!encoding || encoding === 'identity') return raw;
  if (encoding === 'gzip' || encoding === 'x-gzip') return raw.pipe(createGunzip());
  throw new ValidationError(`Unsupported Content-Encoding "${encoding}"; send gzip or nothing.`);
}

export function pktLine(text: string) {
  return (text.length + 4).toString(16).padStart(4, '0') + text;
}

/** Git clients show plain-text bodies to the user; 401 asks for Basic credentials so git prompts for them. */
function sendGitError(reply: FastifyReply, error: unknown) {
  if (!(error instanceof DomainError)) throw error;
  if (error.status === 401) reply.header('www-authenticate', 'Basic realm="Orchard"');
  return reply
    .status(error.status)
    .headers(NO_CACHE)
    .type('text/plain; charset=utf-8')
    .send(`${error.message}\n`);
}
