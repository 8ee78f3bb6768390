import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { ApiError, errorFromResponse } from '../../api/client.ts';
import { keys } from '../../api/query-keys.ts';
import { Link } from '../../app/router.tsx';
import { Alert, ErrorAlert } from '../../widgets/alert.tsx';
import { buttonClass } from '../../widgets/button.tsx';
import { formatBytes } from '../../widgets/format.ts';
import { Markdown } from '../../widgets/markdown.tsx';
import { Loading } from '../../widgets/spinner.tsx';
import { apiPath, to } from '../projects/project-paths.ts';
import { repoUrlResolver } from './repo-markdown-urls.ts';

/** Larger text files are not rendered (the raw view still serves them). */
const MAX_RENDER_BYTES = 1024 * 1024;
const IMAGE = /\.(png|jpe?g|gif|webp|ico)$/i;
const MARKDOWN = /\.(md|markdown)$/i;

/** A file shown rendered rather than as lines (a README.md, docs/…). */
export const isMarkdownPath = (path: string) => MARKDOWN.test(path);

type FileContent =
  | { kind: 'text'; text: string; size: number }
  | { kind: 'binary'; size: number; contentType: string }
  | { kind: 'large'; size: number };

async function fetchFile(url: string, signal: AbortSignal): Promise<FileContent> {
  const response = await fetch(url, { credentials: 'same-origin', signal });
  if (!response.ok) throw await errorFromResponse(response);
  const size = Number(response.headers.get('content-length') ?? 0);
  const contentType = response.headers.get('content-type') ?? '';
  const textual = contentType.startsWith('text/') || contentType.startsWith('application/json');
  if (!textual || size > MAX_RENDER_BYTES) {
    await response.body?.cancel();
    return textual ? { kind: 'large', size } : { kind: 'binary', size, contentType };
  }
  return { kind: 'text', text: await response.text(), size };
}

/** A file's content for display (text, or what it is when it is not shown). */
export function useFile(slug: string, refName: string, path: string, enabled = true) {
  return useQuery({
    queryKey: keys.blob(slug, refName, path),
    queryFn: ({ signal }) => fetchFile(apiPath.blob(slug, refName, path), signal),
    enabled,
  });
}

/** One file at a ref: text with line numbers, an image, or a clear "binary" / "too large" state. */
export function RepoFileView({ slug, refName, path }: { slug: string; refName: string; path: string }) {
  const url = apiPath.blob(slug, refName, path);
  const image = IMAGE.test(path);
  const file = useFile(slug, refName, path, !image);
  const name = path.split('/').pop() ?? path;
  const markdown = isMarkdownPath(path);
  const [source, setSource] = useState(false);

  return (
    <section
      aria-label={`File ${name}`}
      className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xs"
    >
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-200 bg-slate-50 px-4 py-2">
        <h2 className="min-w-0 flex-1 truncate font-mono text-sm font-semibold text-slate-900">{name}</h2>
        {file.data && (
          <span className="text-xs text-slate-500">
            {file.data.kind === 'text' && `${lineCount(file.data.text)} lines · `}
            {formatBytes(file.data.size)}
          </span>
        )}
        {markdown && file.data?.kind === 'text' && (
          <fieldset aria-label="Show the file" className="flex rounded-md bg-slate-100 p-0.5">
            <ViewToggle pressed={!source} onClick={() => setSource(false)}>
              Preview
            </ViewToggle>
            <ViewToggle pressed={source} onClick={() => setSource(true)}>
              Code
            </ViewToggle>
          </fieldset>
        )}
        <Link to={to.commits(slug, refName, path)} className={buttonClass('ghost', 'sm')}>
          History
        </Link>
        <a href={url} target="_blank" rel="noopener noreferrer" className={buttonClass('secondary', 'sm')}>
          Raw
        </a>
      </header>
      {image ? (
        <div className="grid place-items-center bg-[repeating-conic-gradient(#f1f5f9_0%_25%,#fff_0%_50%)] bg-[length:16px_16px] p-6">
          <img src={url} alt={name} className="max-h-[70vh] max-w-full" />
        </div>
      ) : file.isPending ? (
        <Loading label="Loading file…" className="px-4" />
      ) : file.isError ? (
        <div className="p-4">
          {file.error instanceof ApiError && file.error.status === 413 ? (
            <Alert tone="warning" title="This file is too large to view here">
              {file.error.detail}
            </Alert>
          ) : (
            <ErrorAlert error={file.error} />
          )}
        </div>
      ) : file.data.kind === 'binary' ? (
        <Placeholder>
          Binary file ({formatBytes(file.data.size)}, {file.data.contentType.split(';')[0]}).{' '}
          <a href={url} download={name} className="font-medium text-emerald-800 underline">
            Download it
          </a>
          .
        </Placeholder>
      ) : file.data.kind === 'large' ? (
        <Placeholder>
          This file is {formatBytes(file.data.size)}; files over {formatBytes(MAX_RENDER_BYTES)} are not shown
          here.{' '}
          <a
            href={url}
            target="_blank"
            rel="noopener noreferrer"
            className="font-medium text-emerald-800 underline"
          >
            Open the raw file
          </a>
          .
        </Placeholder>
      ) : file.data.text === '' ? (
        <Placeholder>This file is empty.</Placeholder>
      ) : markdown && !source ? (
        <div className="px-6 py-5">
          <Markdown text={file.data.text} resolveUrl={repoUrlResolver(slug, refName, path)} />
        </div>
      ) : (
        <NumberedText text={file.data.text} />
      )}
    </section>
  );
}

const lineCount = (text: string) =>
  text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

function ViewToggle({
  pressed,
  onClick,
  children,
}: {
  pressed: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      onClick={onClick}
      className={`rounded px-2.5 py-1 text-xs font-medium outline-none transition focus-visible:ring-2 focus-visible:ring-emerald-600/40 ${
        pressed ? 'bg-white text-slate-900 shadow-xs' : 'text-slate-600 hover:text-slate-900'
      }`}
    >
      {children}
    </button>
  );
}

function Placeholder({ children }: { children: ReactNode }) {
  return <p className="px-4 py-10 text-center text-sm text-slate-500">{children}</p>;
}

/** The line a link pointed at (`…#L12`, as a check's annotation links), shown and scrolled to. */
function useTargetLine(): number | undefined {
  const match = /^#L(\d+)$/.exec(window.location.hash);
  const line = match ? Number(match[1]) : undefined;
  useEffect(() => {
    if (line) document.getElementById(`L${line}`)?.scrollIntoView({ block: 'center' });
  }, [line]);
  return line;
}

function Line({ n, text, target }: { n: number; text: string; target: boolean }) {
  return (
    <tr
      id={`L${n}`}
      aria-current={target ? 'location' : undefined}
      className={target ? 'bg-amber-100' : 'hover:bg-amber-50/60'}
    >
      <td className="w-12 px-3 text-right align-top text-slate-400 select-none">{n}</td>
      <td className="pr-4 whitespace-pre text-slate-800">{text}</td>
    </tr>
  );
}

export function NumberedText({ text }: { text: string }) {
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  const target = useTargetLine();
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse font-mono text-xs leading-5">
        <tbody>
          {lines.map((line, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a line's number is its identity
            <Line key={i} n={i + 1} text={line} target={i + 1 === target} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
