import { commitFiles, gitOk, localRepo, remoteUrl } from '../git.ts';
import { runOrchard } from './spawn-orchard.ts';
import { until } from './until.ts';

/** A JSON call to a running Orchard with a bearer token. */
export async function call(base: string, token: string, method: string, url: string, body?: object) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/**
 * A member of a running `orchard up` (made by the admin holding `adminToken`), with a token minted
 * by `orchard token create` on the same home, and a project of their own.
 */
export async function memberWithProject(
  base: string,
  home: string,
  adminToken: string,
  names: { user: string; project: string },
): Promise<string> {
  const created = await call(base, adminToken, 'POST', '/api/users', {
    username: names.user,
    email: `${names.user}@example.test`,
    password: 'a long enough password',
    role: 'member',
  });
  if (created.status !== 201)
    throw new Error(`create user: ${created.status} ${JSON.stringify(created.json)}`);
  const minted = await runOrchard([
    'token',
    'create',
    '--user',
    names.user,
    '--scopes',
    'read,write',
    '--home',
    home,
  ]);
  if (minted.code !== 0) throw new Error(`token create: ${minted.stderr}`);
  const token = /orch_[A-Za-z0-9]+/.exec(minted.stdout)![0];
  const project = await call(base, token, 'POST', '/api/projects', {
    name: names.project,
    slug: names.project,
  });
  if (project.status !== 201) throw new Error(`create project: ${project.status}`);
  return token;
}

type Pipeline = { id: string; sha: string; status: string };

/**
 * Pushes `.orchard/pipeline.yml` as a new branch (a fresh repository each time, so main only on
 * the first push) and waits for its pipeline to end; returns it and a job's log.
 */
export async function runPipeline(
  base: string,
  token: string,
  slug: string,
  yaml: string,
  job: string,
  branch = 'main',
): Promise<{ pipeline: Pipeline; log: string }> {
  const work = await localRepo();
  const sha = await commitFiles(work, { '.orchard/pipeline.yml': yaml }, 'pipeline');
  await gitOk(['push', '-q', remoteUrl(base, slug, token), `HEAD:refs/heads/${branch}`], work);
  const pipeline = await until(
    async () => {
      const list = (await call(base, token, 'GET', `/api/projects/${slug}/pipelines`)).json
        .items as Pipeline[];
      return list.find((x) => x.sha === sha && x.status !== 'queued' && x.status !== 'running');
    },
    90_000,
    'the pipeline to finish',
  );
  const log = (
    await call(base, token, 'GET', `/api/projects/${slug}/pipelines/${pipeline.id}/jobs/${job}/log`)
  ).json.text as string;
  return { pipeline, log };
}
