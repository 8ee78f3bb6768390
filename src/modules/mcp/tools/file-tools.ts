import { z } from 'zod';
import type { Db } from '../../../platform/db/pool.ts';
import { DEFAULT_BRANCH, getBlob, getTree, SearchQuery, searchFiles } from '../../git/index.ts';
import { defineTool } from '../mcp-tool.ts';
import { Slug } from './tool-inputs.ts';

/** What one read_file answer holds at most: a page of a long file, never a whole bundle. */
export const MAX_FILE_LINES = 2_000;
export const MAX_FILE_CHARS = 100_000;

const Ref = z
  .string()
  .min(1)
  .max(255)
  .default(DEFAULT_BRANCH)
  .describe('Branch, tag or commit sha (default main)');
const RepoPath = z.string().max(4096);

export type FileToolDeps = { db: Db; config: { home: string } };

/** A page of a text file: lines `fromLine`… up to `maxLines` lines and MAX_FILE_CHARS characters. */
function page(text: string, fromLine: number, maxLines: number) {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const picked: string[] = [];
  let chars = 0;
  for (let i = fromLine - 1; i < lines.length && picked.length < maxLines; i++) {
    const line = lines[i]!;
    if (picked.length && chars + line.length + 1 > MAX_FILE_CHARS) break;
    picked.push(line.length > MAX_FILE_CHARS ? `${line.slice(0, MAX_FILE_CHARS)}…` : line);
    chars += line.length + 1;
  }
  const toLine = fromLine + picked.length - 1;
  return {
    totalLines: lines.length,
    fromLine,
    toLine,
    truncated: toLine < lines.length,
    text: picked.join('\n'),
  };
}

/** core: a project's files at a ref — list a directory, read a file, search them. */
export function fileTools(res: FileToolDeps) {
  return [
    defineTool({
      name: 'list_files',
      set: 'core',
      title: 'List files',
      description:
        'The entries of a directory of the repository at a ref (the root when path is empty): directories first, then files, with their sizes.',
      input: z.object({
        slug: Slug,
        ref: Ref,
        path: RepoPath.default('').describe('A directory, e.g. src/pages'),
      }),
      route: { method: 'GET', url: '/api/projects/:slug/tree/:ref/*' },
      slugOf: (args) => args.slug,
      run: (ctx, args) => getTree(res.db, res.config.home, ctx.actor, args),
    }),
    defineTool({
      name: 'read_file',
      set: 'core',
      title: 'Read a file',
      description: `A text file of the repository at a ref, from line fromLine on (at most ${MAX_FILE_LINES} lines or ${MAX_FILE_CHARS} characters a call: when truncated, call again with fromLine = toLine + 1). Binary files are named, not shown.`,
      input: z.object({
        slug: Slug,
        ref: Ref,
        path: RepoPath.min(1).describe('The file, e.g. src/app.ts'),
        fromLine: z.number().int().min(1).max(10_000_000).default(1),
        maxLines: z.number().int().min(1).max(MAX_FILE_LINES).default(MAX_FILE_LINES),
      }),
      route: { method: 'GET', url: '/api/projects/:slug/blob/:ref/*' },
      slugOf: (args) => args.slug,
      run: async (ctx, { fromLine, maxLines, ...input }) => {
        const { sha, blob } = await getBlob(res.db, res.config.home, ctx.actor, input);
        const about = {
          path: input.path,
          ref: input.ref,
          sha,
          size: blob.size,
          contentType: blob.contentType,
        };
        if (blob.binary)
          return {
            ...about,
            binary: true,
            note: `A binary file (${blob.size} bytes): not shown as text. Download it from /api/projects/${input.slug}/blob/${encodeURIComponent(input.ref)}/${input.path}.`,
          };
        const part = page(blob.content.toString('utf8'), fromLine, maxLines);
        return {
          ...about,
          binary: false,
          ...part,
          ...(part.truncated
            ? {
                note: `Lines ${fromLine}–${part.toLine} of ${part.totalLines}; read on with fromLine ${part.toLine + 1}.`,
              }
            : {}),
        };
      },
    }),
    defineTool({
      name: 'search_files',
      set: 'core',
      title: 'Search files',
      description:
        'Searches the text files of a ref (default main) with git grep: q is a fixed string unless regex is true (POSIX extended), ignoreCase for any case, path a directory or glob (src/**/*.ts). Answers with path, line and text of each match, at most limit; truncated says there was more.',
      input: SearchQuery.extend({
        slug: Slug,
        ignoreCase: z.boolean().default(false),
        regex: z.boolean().default(false),
        limit: z.number().int().min(1).max(1000).default(100),
      }),
      route: { method: 'GET', url: '/api/projects/:slug/search' },
      slugOf: (args) => args.slug,
      run: (ctx, args) => searchFiles(res.db, res.config.home, ctx.actor, args),
    }),
  ];
}
