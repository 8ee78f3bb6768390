import { Link } from '../../app/router.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { formatBytes } from '../../widgets/format.ts';
import type { LiveArtifact } from './live-operation-state.ts';

export const isScreenshot = (a: LiveArtifact) =>
  Boolean(a.url) &&
  (a.kind === 'screenshot' ||
    (a.contentType?.startsWith('image/') ?? /\.(png|jpe?g|webp)$/i.test(a.url ?? '')));

const VERIFICATION_KINDS = new Set(['screenshot', 'har', 'trace', 'check']);

/** What the browser robot recorded (a build's operation also holds its spec, commit, …). */
export const isVerificationArtifact = (a: LiveArtifact) => VERIFICATION_KINDS.has(a.kind) || isScreenshot(a);

/** Commits, merge requests and pipelines point at the API; the UI has a page at the same path. */
const pageOf = (url: string) => (url.startsWith('/api/projects/') ? url.slice('/api'.length) : null);

const KIND_LABEL: Record<string, string> = {
  'merge-request': 'Merge request',
  pipeline: 'Pipeline',
  commit: 'Commit',
  url: 'Deployed',
  check: 'Check',
  har: 'HAR',
  trace: 'Trace',
  spec: 'Spec',
  plan: 'Plan',
};

/** Screenshots as a grid of thumbnails (each opens full size); everything else as a list. */
export function ArtifactGallery({
  artifacts,
  empty = 'No artifacts yet.',
  columns = 'grid-cols-2 sm:grid-cols-3',
}: {
  artifacts: LiveArtifact[];
  empty?: string;
  columns?: string;
}) {
  const shots = artifacts.filter(isScreenshot);
  const others = artifacts.filter((a) => !isScreenshot(a));
  if (!artifacts.length) return <p className="text-sm text-slate-500">{empty}</p>;
  return (
    <div className="space-y-4">
      {shots.length > 0 && <ScreenshotGrid shots={shots} columns={columns} />}
      {others.length > 0 && (
        <ul
          aria-label="Other artifacts"
          className="divide-y divide-slate-100 rounded-md border border-slate-200"
        >
          {others.map((a) => (
            <ArtifactRow key={a.eventId} artifact={a} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ArtifactRow({ artifact: a }: { artifact: LiveArtifact }) {
  const label = KIND_LABEL[a.kind] ?? a.kind;
  const page = a.url ? pageOf(a.url) : null;
  const sha = typeof a.data.sha === 'string' ? a.data.sha.slice(0, 7) : null;
  const title = a.kind === 'commit' && sha ? sha : a.name;
  let action = null;
  if (a.kind === 'check') {
    const ok = a.data.status === 'success';
    action = <Badge tone={ok ? 'green' : 'red'}>{String(a.data.status ?? 'unknown')}</Badge>;
  } else if (page) {
    action = (
      <Link to={page} className="text-sm font-medium text-emerald-700 hover:underline">
        Open
      </Link>
    );
  } else if (a.url && a.kind === 'url') {
    action = (
      <a
        href={a.url}
        target="_blank"
        rel="noreferrer"
        className="text-sm font-medium text-emerald-700 hover:underline"
      >
        Visit
      </a>
    );
  } else if (a.url) {
    action = (
      <a href={a.url} download className="text-sm font-medium text-emerald-700 hover:underline">
        Download
      </a>
    );
  }
  return (
    <li className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
      <span className="min-w-0">
        <span className="flex items-center gap-2">
          <span className="rounded bg-slate-100 px-1.5 py-0.5 text-[11px] font-medium text-slate-600">
            {label}
          </span>
          <span className="truncate font-medium text-slate-800">{title}</span>
        </span>
        {typeof a.data.summary === 'string' && (
          <span className="mt-0.5 block text-xs text-slate-500">{a.data.summary}</span>
        )}
        {a.kind === 'url' && a.url && (
          <span className="mt-0.5 block truncate font-mono text-xs text-slate-500">{a.url}</span>
        )}
      </span>
      <span className="flex shrink-0 items-center gap-3">
        {a.size !== undefined && <span className="text-xs text-slate-500">{formatBytes(a.size)}</span>}
        {action}
      </span>
    </li>
  );
}

export function ScreenshotGrid({ shots, columns }: { shots: LiveArtifact[]; columns: string }) {
  return (
    <ul aria-label="Screenshots" className={`grid gap-3 ${columns}`}>
      {shots.map((a) => (
        <li key={a.eventId}>
          <a
            href={a.url}
            target="_blank"
            rel="noreferrer"
            className="group block overflow-hidden rounded-md border border-slate-200 bg-white shadow-xs hover:border-emerald-400 focus-visible:outline-2 focus-visible:outline-emerald-600"
          >
            <img
              src={a.url}
              alt={`Screenshot: ${a.name}`}
              loading="lazy"
              className="aspect-[4/3] w-full bg-slate-100 object-cover object-top"
            />
            <span className="block truncate border-t border-slate-100 px-2 py-1.5 text-xs text-slate-600 group-hover:text-slate-900">
              {a.name}
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}
