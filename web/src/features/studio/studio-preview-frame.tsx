import { type ReactNode, type RefObject, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { Release } from '../../api/env-types.ts';
import { formatRelative } from '../../widgets/format.ts';
import { ReleaseTag } from '../environments/env-badges.tsx';
import { appUrl, bridgePath, DEVICES, type DeviceId, fitScale, resolveAppPath } from './preview-address.ts';

/** The frame's height when it fills the pane (desktop). */
const DESKTOP_HEIGHT = 560;

/**
 * A small browser around the running app: an address bar that opens a path of the app, Refresh,
 * Open in a new tab, the environment and commit it shows, and phone / tablet / desktop sizes.
 *
 * The app is on another origin, so the frame's address cannot be read. The pane keeps the path it
 * opened, and follows navigation inside the app when the app reports it (generated apps load
 * `/assets/orchard-preview.js`, which posts the path to this window; messages are taken only from
 * this frame's window and the app's origin). An app without the script shows the last path opened
 * here. The address bar opens paths of the app only (preview-address.ts).
 */
export function PreviewFrame({
  url,
  envName,
  release,
  deployedAt,
  title,
}: {
  /** The environment's URL: `http://<env>--<slug>.localhost:<port>/`. */
  url: string;
  envName: string;
  release: Release;
  deployedAt: string | null;
  title: string;
}) {
  const origin = new URL(url).origin;
  const frameRef = useRef<HTMLIFrameElement>(null);
  /** The path the frame was last told to load (its `src`). */
  const [opened, setOpened] = useState('/');
  /** The path the frame shows: `opened`, or where the app said it went since. */
  const [shown, setShown] = useState('/');
  /** Bumped to load the frame afresh (navigate, refresh): a new frame, so no history entry. */
  const [loads, setLoads] = useState(0);
  /** The frame that has finished loading: any other (a new release, navigation, refresh) is loading. */
  const [loaded, setLoaded] = useState<string | null>(null);
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deviceId, setDeviceId] = useState<DeviceId>('desktop');
  const [stageRef, available] = useContentWidth();
  const errorId = useId();
  const inputId = useId();

  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.source !== frameRef.current?.contentWindow || event.origin !== origin) return;
      const path = bridgePath(event.data, origin);
      if (path) setShown(path);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [origin]);

  // A new release loads in a new frame: at the page shown, not the one first opened.
  const [releaseId, setReleaseId] = useState(release.id);
  if (releaseId !== release.id) {
    setReleaseId(release.id);
    setOpened(shown);
  }

  const open = (path: string) => {
    setOpened(path);
    setShown(path);
    setLoads((n) => n + 1);
  };

  const frameKey = `${release.id}:${loads}`;
  const loading = loaded !== frameKey;
  const device = DEVICES.find((d) => d.id === deviceId)!;
  const size = device.size;
  const scale = size ? fitScale(size.width, available) : 1;
  const sizeText = size
    ? `${size.width} × ${size.height}${scale < 1 ? ` · ${Math.round(scale * 100)} %` : ''}`
    : `${available} × ${DESKTOP_HEIGHT}`;

  return (
    <div className="border-b border-slate-200">
      <div className="flex items-center gap-1.5 border-b border-slate-200 bg-slate-50 px-2 py-1.5">
        <IconButton
          label="Refresh"
          spinning={loading}
          onClick={() => {
            setError(null);
            setDraft(null);
            open(shown);
          }}
        >
          <path d="M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7" />
        </IconButton>
        <form
          className="min-w-0 flex-1"
          onSubmit={(event) => {
            event.preventDefault();
            const result = resolveAppPath(draft ?? shown, origin);
            if ('error' in result) {
              setError(result.error);
              return;
            }
            setError(null);
            setDraft(null);
            open(result.path);
          }}
        >
          <label htmlFor={inputId} className="sr-only">
            Address
          </label>
          <input
            id={inputId}
            value={draft ?? shown}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => {
              if (event.key !== 'Escape') return;
              setDraft(null);
              setError(null);
            }}
            onBlur={() => {
              if (!error) setDraft(null);
            }}
            title={appUrl(origin, shown)}
            spellCheck={false}
            autoComplete="off"
            enterKeyHint="go"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            className="h-7 w-full rounded-md border border-slate-300 bg-white px-2 font-mono text-xs text-slate-800 outline-none focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20 aria-invalid:border-red-400"
          />
        </form>
        <a
          href={appUrl(origin, shown)}
          target="_blank"
          rel="noreferrer"
          aria-label="Open in a new tab"
          title="Open in a new tab"
          className={ICON_BUTTON}
        >
          <Icon>
            <path d="M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5" />
          </Icon>
        </a>
      </div>
      {error && (
        <p
          id={errorId}
          role="alert"
          className="border-b border-red-200 bg-red-50 px-3 py-1.5 text-xs text-red-800"
        >
          {error}
        </p>
      )}
      <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 border-b border-slate-200 px-3 py-1.5 text-xs">
        <span
          data-testid={envName === 'staging' ? 'staging-release' : 'branch-release'}
          className="inline-flex items-center gap-1.5 text-slate-600"
          title={deployedAt ? `Deployed ${formatRelative(deployedAt)}` : undefined}
        >
          <span className="font-medium text-slate-700">{envName}</span>
          <span aria-hidden="true">·</span>
          <ReleaseTag release={release} />
        </span>
        <span className="inline-flex items-center gap-2">
          <fieldset className="flex rounded-md bg-slate-100 p-0.5">
            <legend className="sr-only">Device size</legend>
            {DEVICES.map((d) => (
              <label
                key={d.id}
                title={
                  d.size ? `${d.label}, ${d.size.width} × ${d.size.height}` : `${d.label}, fills the pane`
                }
                className="relative grid size-6 place-items-center rounded text-slate-500 hover:text-slate-900 has-checked:bg-white has-checked:text-emerald-700 has-checked:shadow-xs has-focus-visible:outline-2 has-focus-visible:outline-emerald-600"
              >
                <input
                  type="radio"
                  name={`${inputId}-device`}
                  value={d.id}
                  checked={d.id === deviceId}
                  onChange={() => setDeviceId(d.id)}
                  // Over the whole icon, unseen: the native radio keeps the keyboard and the clicks.
                  className="absolute inset-0 cursor-pointer appearance-none rounded opacity-0"
                />
                <span className="sr-only">{d.label}</span>
                <DeviceIcon id={d.id} />
              </label>
            ))}
          </fieldset>
          <span
            data-testid="preview-size"
            className="min-w-16 text-right font-mono text-[11px] text-slate-500"
          >
            {sizeText}
          </span>
        </span>
      </div>
      <div className="bg-slate-100 p-2">
        <div ref={stageRef}>
          <div
            className="mx-auto overflow-hidden bg-white shadow-xs ring-1 ring-slate-300"
            style={
              size
                ? { width: size.width * scale, height: size.height * scale }
                : { width: '100%', height: DESKTOP_HEIGHT }
            }
          >
            <iframe
              key={frameKey}
              ref={frameRef}
              title={title}
              src={appUrl(origin, opened)}
              onLoad={() => setLoaded(frameKey)}
              aria-busy={loading || undefined}
              className="block bg-white"
              style={
                size
                  ? {
                      width: size.width,
                      height: size.height,
                      transform: scale < 1 ? `scale(${scale})` : undefined,
                      transformOrigin: '0 0',
                    }
                  : { width: '100%', height: '100%' }
              }
              sandbox="allow-scripts allow-forms allow-same-origin allow-popups"
            />
          </div>
        </div>
      </div>
    </div>
  );
}

/** The content width of an element, kept current. */
function useContentWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.getBoundingClientRect().width));
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

const ICON_BUTTON =
  'grid size-7 shrink-0 place-items-center rounded-md text-slate-600 hover:bg-slate-200 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-emerald-600';

function IconButton({
  label,
  spinning,
  onClick,
  children,
}: {
  label: string;
  /** Turns while the frame loads. */
  spinning?: boolean;
  onClick(): void;
  children: ReactNode;
}) {
  return (
    <button type="button" aria-label={label} title={label} onClick={onClick} className={ICON_BUTTON}>
      <Icon className={spinning ? 'animate-spin [animation-duration:1.5s]' : ''}>{children}</Icon>
    </button>
  );
}

function Icon({ className = '', children }: { className?: string; children: ReactNode }) {
  return (
    <svg
      viewBox="0 0 24 24"
      className={`size-4 ${className}`}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {children}
    </svg>
  );
}

function DeviceIcon({ id }: { id: DeviceId }) {
  return (
    <Icon>
      {id === 'phone' ? (
        <>
          <rect x="7" y="3" width="10" height="18" rx="2" />
          <path d="M11 18h2" />
        </>
      ) : id === 'tablet' ? (
        <>
          <rect x="5" y="3" width="14" height="18" rx="2" />
          <path d="M11 18h2" />
        </>
      ) : (
        <>
          <rect x="3" y="4" width="18" height="12" rx="1.5" />
          <path d="M8 20h8M12 16v4" />
        </>
      )}
    </Icon>
  );
}
