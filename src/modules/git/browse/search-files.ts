import { z } from 'zod';
import type { Queryable } from '../../../platform/db/pool.ts';
import { ValidationError } from '../../../platform/errors.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { killGitGroup, spawnGit } from '../git-process.ts';
import { openRepository } from '../open-repository.ts';
import { DEFAULT_BRANCH } from '../repository.ts';
import { resolveRevision } from './resolve-revision.ts';

const flag = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

const noNul = (value: string) => !value.includes('\0');

export const SearchQuery = z.object({
  q: z.string().min(1, 'say what to search for').max(500).refine(noNul, 'must not contain NUL'),
  /** Branch, tag or sha; the default branch when omitted. */
  ref: z.string().min(1).max(255).optional(),
  /** A path or glob the matches must be under (`src`, `src/**\/*.ts`, `*.md`). */
  path: z.string().min(1).max(1000).refine(noNul, 'must not contain NUL').optional(),
  ignoreCase: flag,
  /** `q` is a POSIX extended regular expression instead of a fixed string. */
  regex: flag,
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
/** What a search asks for (the query string, parsed; the MCP tool's input). */
export interface SearchInput {
  q: string;
  ref?: string;
  path?: string;
  ignoreCase: boolean;
  regex: boolean;
  limit: number;
}

export const SearchMatch = z.object({ path: z.string(), line: z.number(), text: z.string() });
export const SearchResult = z.object({
  ref: z.string(),
  sha: z.string(),
  matches: z.array(SearchMatch),
  /** More matched than `limit`, or the search ran out of time: narrow it with `path` or `q`. */
  truncated: z.boolean(),
});
export type SearchResult = z.infer<typeof SearchResult>;

/** A search stops after this long and answers with what it found (truncated). */
export const SEARCH_TIME_LIMIT_MS = 10_000;
/** Longer lines are cut: a minified file must not fill the answer. */
const MAX_LINE_CHARS = 500;
/** Output read before giving up, whatever the number of matches. */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/**
 * `git grep` over a ref of the project's bare repository (viewers): a fixed string unless `regex`,
 * text files only, at most `limit` matches and `SEARCH_TIME_LIMIT_MS` of searching.
 */
export async function searchFiles(
  db: Queryable,
  home: string,
  actor: Actor,
  input: { slug: string } & SearchInput,
  options: { timeLimitMs?: number } = {},
): Promise<SearchResult> {
  const { repo } = await openRepository(db, home, actor, input.slug, 'viewer');
  const ref = input.ref ?? DEFAULT_BRANCH;
  const sha = await resolveRevision(repo, ref);
  const args = [
    '-C',
    repo,
    'grep',
    '-z',
    '-n',
    '-I',
    '--no-color',
    '--full-name',
    input.regex ? '-E' : '-F',
    ...(input.ignoreCase ? ['-i'] : []),
    '-e',
    input.q,
    sha,
    '--',
    // Glob magic: `*` stays within a directory, `**` crosses them, a directory matches what it holds.
    ...(input.path ? [`:(glob)${input.path.replace(/^\/+/, '')}`] : []),
  ];
  const { matches, truncated, code, stderr } = await collect(
    args,
    `${sha}:`,
    input.limit,
    options.timeLimitMs ?? SEARCH_TIME_LIMIT_MS,
  );
  // 1: nothing matched; 128 and the like: a bad pattern (what git says is the message).
  if (!truncated && code !== 0 && code !== 1) {
    const why =
      stderr
        .trim()
        .split('\n')
        .at(-1)
        ?.replace(/^fatal: /, '') || `git grep failed (exit ${code})`;
    throw new ValidationError(`The search failed: ${why}.`, [
      { field: input.regex ? 'q' : 'path', message: why },
    ]);
  }
  return { ref, sha, matches, truncated };
}

/** Runs git grep, reading `<sha>:<path>\0<line>\0<text>\n` records until done, `limit` or the deadline. */
function collect(
  args: string[],
  prefix: string,
  limit: number,
  timeLimitMs: number,
): Promise<{ matches: SearchResult['matches']; truncated: boolean; code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(args);
    const matches: SearchResult['matches'] = [];
    let rest: Buffer = Buffer.alloc(0);
    let read = 0;
    let stderr = '';
    let truncated = false;
    const stop = () => {
      truncated = true;
      killGitGroup(child);
    };
    const timer = setTimeout(stop, timeLimitMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return;
      read += chunk.length;
      rest = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      let eol = rest.indexOf(0x0a);
      while (eol >= 0) {
        const match = parseRecord(rest.subarray(0, eol).toString('utf8'), prefix);
        rest = rest.subarray(eol + 1);
        if (match) {
          if (matches.length === limit) return stop();
          matches.push(match);
        }
        eol = rest.indexOf(0x0a);
      }
      if (read > MAX_OUTPUT_BYTES) stop();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 16_000) stderr += chunk.toString();
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ matches, truncated, code: code ?? 1, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end();
  });
}

function parseRecord(record: string, prefix: string): SearchResult['matches'][number] | undefined {
  const [name, line, ...text] = record.split('\0');
  if (!name?.startsWith(prefix) || line === undefined) return undefined;
  const joined = text.join('\0');
  return {
    path: name.slice(prefix.length),
    line: Number(line),
    text: joined.length > MAX_LINE_CHARS ? `${joined.slice(0, MAX_LINE_CHARS)}…` : joined,
  };
}
