import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { formatClock } from './live-format.ts';

export interface LogLineView {
  id: string | number;
  text: string;
  stream?: string;
  /** A prefix such as the step that wrote the line. */
  source?: string | null;
  at?: string;
}

const STREAM_CLASS: Record<string, string> = {
  stderr: 'text-rose-300',
  orchard: 'text-sky-300',
  /** A step's failure, as the engine recorded it. */
  error: 'font-semibold text-rose-400',
};

/**
 * A terminal-like log pane that follows new lines while the reader is at the bottom and stays
 * put when they scroll up to read.
 */
export function LogView({
  lines,
  empty = 'No log lines yet.',
  label = 'Log',
  className = 'max-h-96',
}: {
  lines: LogLineView[];
  empty?: string;
  label?: string;
  className?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onScroll = () => setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  return (
    <div
      ref={box}
      role="log"
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls, so keyboard users must reach it
      tabIndex={0}
      className={`overflow-auto rounded-md bg-slate-950 px-3 py-2.5 font-mono text-xs leading-5 text-slate-200 focus-visible:outline-2 focus-visible:outline-emerald-600 ${className}`}
    >
      {lines.length === 0 ? (
        <p className="text-slate-500">{empty}</p>
      ) : (
        lines.map((line) => (
          <div key={line.id} className="flex gap-3 whitespace-pre-wrap break-all">
            {line.at && <span className="shrink-0 text-slate-600 select-none">{formatClock(line.at)}</span>}
            {line.source !== undefined && (
              <span className="w-24 shrink-0 truncate text-slate-500 select-none" title={line.source ?? ''}>
                {line.source}
              </span>
            )}
            <span className={STREAM_CLASS[line.stream ?? ''] ?? ''}>{line.text}</span>
          </div>
        ))
      )}
    </div>
  );
}
