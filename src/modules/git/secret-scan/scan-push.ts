import type { Readable } from 'node:stream';
import { git, gitLimits, killGitGroup, seconds, spawnGit } from '../git-process.ts';
import { DIFF_TREE_ARGS, type Finding, scanPatch } from './scan-patch.ts';
import { formatFailure, formatRefusal } from './scan-report.ts';

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const ZERO = /^0+$/;

export interface PushScanInput {
  /** The bare repository. */
  repo: string;
  /** `old new ref` per updated ref (git's pre-receive input); deletions are skipped. */
  updates: ReadonlyArray<readonly [string, string, string]>;
  /** Fingerprints a project owner allowed. */
  allowed: ReadonlySet<string>;
  /** The most patch output read; past it the push is refused as unscannable. */
  maxBytes: number;
  /** Where an owner allows a finding (named in the refusal). */
  allowUrl?: string;
  /**
   * Git's object environment while a push is in quarantine (GIT_OBJECT_DIRECTORY,
   * GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_QUARANTINE_PATH): the pushed objects are visible only
   * through it. Empty for commits already in the repository.
   */
  objectEnv?: Record<string, string>;
}

export interface PushScan {
  findings: Finding[];
  exceeded: boolean;
  /** What the pusher reads: empty when the push may go on. */
  refusal: string;
}

type Consume<T> = (out: Readable) => Promise<T>;

/**
 * Scans what a set of ref updates adds for secrets: each new tip once tags are peeled — commits
 * (the usual case: the ones no ref has yet, a new branch's included), a tree as if its files were
 * added, a blob as one file (rev-list alone would skip a tree or blob tip without a word). A scan
 * that cannot finish is a refusal too (`formatFailure`): an unscanned push must not slip through.
 */
export async function scanPush(input: PushScanInput): Promise<PushScan> {
  const updates = input.updates.filter(([, sha]) => !ZERO.test(sha));
  if (!updates.length) return { findings: [], exceeded: false, refusal: '' };
  try {
    return await scanUpdates(input, updates);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { findings: [], exceeded: false, refusal: formatFailure(reason) };
  }
}

async function scanUpdates(
  input: PushScanInput,
  updates: ReadonlyArray<readonly [string, string, string]>,
): Promise<PushScan> {
  const { allowed, maxBytes, repo } = input;
  const env = input.objectEnv ?? {};
  const run = (args: string[], stdin: string) => git(args, { cwd: repo, input: stdin, env });
  const result = { findings: [] as Finding[], exceeded: false, used: 0 };
  const scan = async (args: readonly string[], stdin: string, label?: string) => {
    if (result.exceeded) return;
    const r = await streamPatch(repo, args, stdin, env, (out) =>
      scanPatch(out, { maxBytes: maxBytes - result.used, allowed, label }),
    );
    result.findings.push(...r.findings);
    result.used += r.scannedBytes;
    result.exceeded ||= r.exceeded;
  };

  const types = (
    await run(
      ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'],
      `${updates.map(([, sha]) => `${sha}^{}`).join('\n')}\n`,
    )
  )
    .trim()
    .split('\n')
    .map((line, i) => {
      const [sha = '', type = '', size = ''] = line.split(' ');
      if (type === 'missing') throw new Error(`${updates[i]![1]} is not in the repository`);
      return { sha, type, size: Number(size), ref: updates[i]![2] };
    });
  const commits = types.filter((t) => t.type === 'commit').map((t) => t.sha);
  if (commits.length) {
    // The commits this push brings that no ref of the repository has yet. Refs only (`--glob`), not
    // `--all`: that counts worktrees' HEADs too, and an agent's worktree holds the very commits
    // its delivery must have scanned.
    const fresh = await run(
      ['rev-list', '--reverse', '--topo-order', '--stdin', '--not', '--glob=*'],
      `${commits.join('\n')}\n`,
    );
    if (fresh.trim()) await scan(DIFF_TREE_ARGS, fresh);
  }
  for (const t of types.filter((x) => x.type === 'tree')) {
    const args = DIFF_TREE_ARGS.filter((a) => !['--stdin', '--root', '--cc'].includes(a));
    await scan([...args, EMPTY_TREE, t.sha], '', t.ref);
  }
  for (const t of types.filter((x) => x.type === 'blob')) {
    if (result.exceeded) break;
    if (t.size > maxBytes - result.used) {
      result.exceeded = true;
      break;
    }
    const content = await run(['cat-file', 'blob', t.sha], '');
    const r = await scanPatch(blobAsPatch(t.ref, content), { allowed, label: t.ref });
    result.findings.push(...r.findings);
  }
  const refusal = formatRefusal({
    findings: result.findings,
    exceeded: result.exceeded,
    maxBytes,
    allowUrl: input.allowUrl,
  });
  return { findings: result.findings, exceeded: result.exceeded, refusal };
}

/** A blob a ref points at directly (rare: `git tag x <blob>`), as if a file of that name were added. */
function* blobAsPatch(name: string, content: string) {
  const lines = content.split('\n');
  yield Buffer.from(`diff --git a/${name} b/${name}\nnew file mode 100644\n--- /dev/null\n+++ b/${name}\n`);
  yield Buffer.from(`@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`);
}

/**
 * Runs `git diff-tree` in `repo` with `stdin`, handing its patch to `consume` as it streams (a
 * patch can be large, so it is never collected whole as `runGit` would). A consumer that stops
 * early (over the byte budget) ends git; otherwise a failing git fails the scan.
 */
async function streamPatch<T>(
  repo: string,
  args: readonly string[],
  stdin: string,
  objectEnv: Record<string, string>,
  consume: Consume<T>,
): Promise<T> {
  const child = spawnGit(['-C', repo, ...args], { env: objectEnv });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 4000) stderr += c;
  });
  const closed = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  closed.catch(() => undefined);
  child.stdin.on('error', () => undefined);
  child.stdin.end(stdin);
  const timeoutMs = gitLimits().timeoutMs;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGitGroup(child);
  }, timeoutMs);
  let value: T | undefined;
  let stopped = false;
  try {
    value = await consume(child.stdout);
    stopped = Boolean((value as { exceeded?: boolean }).exceeded);
  } finally {
    if (value === undefined || stopped) killGitGroup(child);
  }
  const code = await closed.finally(() => clearTimeout(timer));
  const name = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-c');
  if (timedOut) throw new Error(`git ${name} ran past ${seconds(timeoutMs)}`);
  if (code !== 0 && !stopped) {
    throw new Error(`git ${name} exited with ${code}: ${stderr.trim().split('\n').slice(-2).join(' ')}`);
  }
  return value;
}
