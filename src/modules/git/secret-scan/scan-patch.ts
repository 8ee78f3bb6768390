import { DOTENV_RULE, findSecrets, fingerprint, isDotenvPath } from './secret-rules.ts';

export interface Finding {
  ruleId: string;
  ruleName: string;
  path: string;
  line: number;
  /** The commit that adds it (or the ref, for a tree or blob a ref points at directly). */
  commit: string;
  redacted: string;
  fingerprint: string;
}

export interface PatchScan {
  findings: Finding[];
  /** Findings left out because their fingerprint is allowed. */
  allowedCount: number;
  scannedBytes: number;
  /** The output was over `maxBytes`: the rest was not scanned. */
  exceeded: boolean;
}

interface FileState {
  path: string;
  newPath?: string;
  created?: boolean;
  deleted?: boolean;
  moved?: boolean;
  firstAdded?: number;
}

interface HunkState {
  parents: number;
  next: number;
  runs: { first: number; lines: string[] }[];
}

/**
 * The arguments of the `git diff-tree --stdin` whose output `scanPatch` reads: every commit's
 * patch against its parent (the empty tree for a root commit), merges as combined diffs (only the
 * lines a merge adds itself), renames as renames (a moved file adds no line), deletions without
 * their content, no context lines, no textconv or external diff, fixed prefixes.
 */
export const DIFF_TREE_ARGS: readonly string[] = [
  '-c',
  'core.quotePath=false',
  'diff-tree',
  '--stdin',
  '--root',
  '-r',
  '-p',
  '--cc',
  '-M',
  '--irreversible-delete',
  '--unified=0',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--src-prefix=a/',
  '--dst-prefix=b/',
];

const COMMIT_LINE = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const HUNK = /^(@{2,}) .*?\+(\d+)(?:,\d+)? @{2,}/;
const ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '"': 34, '\\': 92 };

/** A path as git prints it: bare, or C-quoted (`"a/\303\244 \"x\""`) when it has special characters. */
export function unquotePath(text: string): string {
  if (!text.startsWith('"')) return text;
  const bytes: number[] = [];
  for (let i = 1; i < text.length - 1; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = text[++i] ?? '';
    if (next >= '0' && next <= '7') {
      bytes.push(Number.parseInt(text.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

const stripPrefix = (path: string, prefix: string) =>
  path.startsWith(prefix) ? path.slice(prefix.length) : path;

/** The path of `+++ b/x`, `rename to x`, or `… and b/x differ` (git adds a tab after names with spaces). */
function pathOf(text: string, prefix: string): string {
  return stripPrefix(unquotePath(text.replace(/\t$/, '')), prefix);
}

/** `diff --git a/x b/x`: the path when both sides are the same (a rename also has `rename to`). */
function headerPath(rest: string): string {
  if (rest.startsWith('"')) {
    const end = rest.indexOf('" ', 1);
    return stripPrefix(unquotePath(rest.slice(0, end + 1)), 'a/');
  }
  if (rest.startsWith('--cc ') || rest.startsWith('--combined '))
    return pathOf(rest.slice(rest.indexOf(' ') + 1), '');
  // `a/<path> b/<path>`: the path is as long as the rest without `a/`, ` b/`, halved.
  const length = (rest.length - 5) / 2;
  return Number.isInteger(length) ? rest.slice(2, 2 + length) : rest;
}

/** Splits a byte stream into lines (`\n` only: a `\r` inside a line is the line's own). */
async function* linesOf(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  budget: { used: number; max: number; exceeded: boolean },
): AsyncGenerator<string> {
  let rest = Buffer.alloc(0);
  for await (const chunk of chunks) {
    budget.used += chunk.length;
    if (budget.used > budget.max) {
      budget.exceeded = true;
      return;
    }
    let data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      yield data.toString('utf8', start, nl);
      start = nl + 1;
    }
    data = data.subarray(start);
    rest = Buffer.from(data);
  }
  if (rest.length) yield rest.toString('utf8');
}

/**
 * Reads the output of `git diff-tree` run with DIFF_TREE_ARGS and returns every secret the lines
 * it adds hold, and every dotenv file it adds or changes, leaving out the allowed fingerprints.
 * Binary files are skipped (git prints no lines for them). At most `maxBytes` of output are read:
 * past that, `exceeded` is true and the rest is not scanned.
 */
export async function scanPatch(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  {
    maxBytes,
    allowed = new Set<string>(),
    label,
  }: { maxBytes?: number; allowed?: ReadonlySet<string>; label?: string } = {},
): Promise<PatchScan> {
  const budget = { used: 0, max: maxBytes ?? Number.POSITIVE_INFINITY, exceeded: false };
  const findings: Finding[] = [];
  let allowedCount = 0;
  let commit = label ?? '';
  let file: FileState | undefined;
  let hunk: HunkState | undefined;

  const report = (
    rule: { id: string; name: string },
    path: string,
    line: number,
    secret: string,
    redacted: string,
  ) => {
    const print = fingerprint(rule.id, path, secret);
    if (allowed.has(print)) allowedCount++;
    else
      findings.push({
        ruleId: rule.id,
        ruleName: rule.name,
        path,
        line,
        commit,
        redacted,
        fingerprint: print,
      });
  };
  const endHunk = () => {
    if (!hunk || !file) return;
    const path = file.newPath ?? file.path;
    for (const run of hunk.runs)
      for (const hit of findSecrets(run.lines, run.first))
        report(hit.rule, path, hit.line, hit.secret, hit.redacted);
    hunk = undefined;
  };
  const endFile = () => {
    endHunk();
    if (!file) return;
    const path = file.newPath ?? file.path;
    const added = file.created || file.moved || file.firstAdded !== undefined;
    if (!file.deleted && added && isDotenvPath(path)) report(DOTENV_RULE, path, file.firstAdded ?? 1, '', '');
    file = undefined;
  };

  for await (const line of linesOf(chunks, budget)) {
    if (hunk) {
      const prefix = line.slice(0, hunk.parents);
      if (prefix.length === hunk.parents && /^[+ -]+$/.test(prefix)) {
        if (prefix.includes('-')) continue;
        const number = hunk.next++;
        if (prefix.includes(' ')) continue;
        const text = line.slice(hunk.parents);
        const run = hunk.runs.at(-1);
        if (run && run.first + run.lines.length === number) run.lines.push(text);
        else hunk.runs.push({ first: number, lines: [text] });
        file!.firstAdded ??= number;
        continue;
      }
      if (line.startsWith('\\')) continue;
      endHunk();
    }
    if (COMMIT_LINE.test(line)) {
      endFile();
      commit = line;
    } else if (line.startsWith('diff --git ')) {
      endFile();
      file = { path: headerPath(line.slice(11)) };
    } else if (line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
      endFile();
      file = { path: headerPath(line.slice(5)) };
    } else if (file) hunk = readHeader(file, line);
  }
  endFile();
  return { findings, allowedCount, scannedBytes: budget.used, exceeded: budget.exceeded };
}

/** A file's header line: what it says about the file, or the hunk it starts. */
function readHeader(file: FileState, line: string): HunkState | undefined {
  if (line.startsWith('@@')) {
    const m = HUNK.exec(line);
    return m ? { parents: m[1]!.length - 1, next: Number(m[2]), runs: [] } : undefined;
  }
  if (line.startsWith('new file mode')) file.created = true;
  else if (line.startsWith('deleted file mode')) file.deleted = true;
  else if (line.startsWith('rename to ')) {
    file.newPath = pathOf(line.slice(10), '');
    file.moved = true;
  } else if (line.startsWith('copy to ')) {
    file.newPath = pathOf(line.slice(8), '');
    file.moved = true;
  } else if (line.startsWith('+++ ')) {
    if (line === '+++ /dev/null') file.deleted = true;
    else file.newPath = pathOf(line.slice(4), 'b/');
  } else if (line.startsWith('Binary files ') && line.endsWith(' differ')) {
    const to = line.slice(line.lastIndexOf(' and ') + 5, -7);
    if (to === '/dev/null') file.deleted = true;
    else file.newPath = pathOf(to, 'b/');
  }
  return undefined;
}
