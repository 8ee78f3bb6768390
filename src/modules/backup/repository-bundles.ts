import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ensureRepository, GitCommandError, git, runGit } from '../git/index.ts';
import type { EntryWriter } from './archive-entries.ts';
import { BackupArchiveError } from './archive-error.ts';

/** A repository as the archive holds it: its refs (the bundle's heads) and what HEAD points at. */
export interface RepositoryInfo {
  slug: string;
  head: string;
  /** `refs/heads/main` → sha, sorted by name. */
  refs: Record<string, string>;
  sha256: string;
}

const GIT_TIMEOUT_MS = 30 * 60_000;

/** The slugs of `<home>/repos/<slug>.git`. */
export async function listRepositories(home: string): Promise<string[]> {
  const entries = await readdir(path.join(home, 'repos'), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?\.git$/.test(e.name))
    .map((e) => e.name.slice(0, -4))
    .sort();
}

/** The refs of a repository (or of a bundle with `git bundle list-heads`). */
export async function readRefs(repo: string): Promise<Record<string, string>> {
  const out = await git(['for-each-ref', '--format=%(objectname) %(refname)'], {
    cwd: repo,
    timeoutMs: GIT_TIMEOUT_MS,
  });
  return refLines(out);
}

function refLines(out: string): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const [sha, name] = line.trim().split(' ');
    if (sha && name?.startsWith('refs/')) refs[name] = sha;
  }
  return Object.fromEntries(Object.entries(refs).sort(([a], [b]) => a.localeCompare(b)));
}

/** Repositories bundled (or restored) at once: git is mostly waiting on the disk and on process start. */
export const REPOSITORY_CONCURRENCY = 4;

/** Where HEAD points (`refs/heads/main`), read from the file as git writes it in a bare repository. */
async function readHead(repo: string): Promise<string> {
  const text = await readFile(path.join(repo, 'HEAD'), 'utf8').catch(() => '');
  return /^ref: (refs\/\S+)\s*$/.exec(text)?.[1] ?? 'refs/heads/main';
}

interface Bundle {
  slug: string;
  head: string;
  /** Undefined for a repository without refs (a bundle cannot be empty). */
  file?: string;
  refs: Record<string, string>;
}

async function makeBundle(home: string, scratch: string, slug: string): Promise<Bundle> {
  const repo = path.join(home, 'repos', `${slug}.git`);
  const head = await readHead(repo);
  const file = path.join(scratch, `${slug}.bundle`);
  const made = await runGit(['bundle', 'create', '--quiet', file, '--all'], {
    cwd: repo,
    timeoutMs: GIT_TIMEOUT_MS,
  });
  if (made.code !== 0) {
    if (/empty bundle/i.test(made.stderr)) return { slug, head, refs: {} };
    throw new GitCommandError(['bundle', 'create'], made.code, made.stderr);
  }
  const refs = refLines(await git(['bundle', 'list-heads', file], { cwd: repo, timeoutMs: GIT_TIMEOUT_MS }));
  return { slug, head, file, refs };
}

/**
 * Writes each repository as a git bundle of all its refs: a bundle is made from the refs of one
 * moment and the objects they reach, so a push running meanwhile cannot tear it (a copy of the
 * directory could hold refs to objects it missed). A few are made ahead while one is written.
 */
export async function bundleRepositories(home: string, writer: EntryWriter): Promise<RepositoryInfo[]> {
  const out: RepositoryInfo[] = [];
  const scratch = path.join(os.tmpdir(), `orchard-bundle-${randomBytes(6).toString('hex')}`);
  await mkdir(scratch, { recursive: true, mode: 0o700 });
  const slugs = await listRepositories(home);
  const started: Array<Promise<Bundle>> = [];
  const start = (i: number) => {
    if (i < slugs.length && !started[i]) {
      started[i] = makeBundle(home, scratch, slugs[i]!);
      started[i]!.catch(() => undefined); // awaited in order below
    }
  };
  try {
    for (let i = 0; i < slugs.length; i++) {
      for (let ahead = i; ahead < i + REPOSITORY_CONCURRENCY; ahead++) start(ahead);
      const bundle = await started[i]!;
      const { sha256 } = bundle.file
        ? await writer.entry({ kind: 'repository', name: bundle.slug }, createReadStream(bundle.file))
        : await writer.entry({ kind: 'repository', name: bundle.slug, empty: true });
      if (bundle.file) await rm(bundle.file, { force: true });
      out.push({ slug: bundle.slug, head: bundle.head, refs: bundle.refs, sha256 });
    }
  } finally {
    await Promise.allSettled(started);
    await rm(scratch, { recursive: true, force: true });
  }
  return out;
}

/**
 * Makes `<home>/repos/<slug>.git` from an archive entry (a bundle, or nothing for an empty
 * repository), with Orchard's repository settings. Returns a promise for the rest — fetching the
 * bundle's objects and refs — once the entry has been read, so the caller may read on meanwhile.
 */
export async function restoreRepository(
  home: string,
  slug: string,
  bundle: Readable | undefined,
): Promise<{ repo: string; fetched: Promise<void> }> {
  const repo = await ensureRepository(home, slug);
  if (!bundle) return { repo, fetched: Promise.resolve() };
  const file = path.join(path.dirname(repo), `${slug}.${randomBytes(4).toString('hex')}.bundle`);
  await pipeline(bundle, createWriteStream(file, { mode: 0o600 }));
  const fetched = git(['fetch', '--quiet', file, '+refs/*:refs/*'], { cwd: repo, timeoutMs: GIT_TIMEOUT_MS })
    .then(
      () => undefined,
      (error: Error) => {
        throw new BackupArchiveError(`The archive's repository ${slug} cannot be read: ${error.message}`);
      },
    )
    .finally(() => rm(file, { force: true }));
  return { repo, fetched };
}

/** Points HEAD where it pointed and checks the refs are the manifest's. */
export async function settleRepository(repo: string, info: RepositoryInfo) {
  await writeFile(path.join(repo, 'HEAD'), `ref: ${info.head}\n`);
  const refs = await readRefs(repo);
  const expected = JSON.stringify(info.refs);
  if (JSON.stringify(refs) !== expected)
    throw new BackupArchiveError(
      `The restored repository ${info.slug} does not have the refs the archive lists.`,
    );
}
