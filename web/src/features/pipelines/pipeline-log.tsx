import { useEffect, useLayoutEffect, useRef } from 'react';
import type { LogLine } from './pipeline-live.ts';

/** A scrolling region must take focus, or keyboard users cannot scroll it (WCAG 2.1.1). */
const KEYBOARD_SCROLLABLE = { tabIndex: 0 } as const;

/** Beyond this, only the tail is drawn (the browser stays responsive on huge logs). */
const MAX_LINES = 5000;

function lineClass(line: LogLine) {
  if (line.stream === 'note') return 'text-slate-400 italic';
  if (line.text.startsWith('▶')) return 'font-semibold text-sky-300';
  if (line.text.startsWith('✔')) return 'font-semibold text-emerald-400';
  if (line.text.startsWith('✖')) return 'font-semibold text-red-400';
  if (line.text.startsWith('⚠') || line.text.startsWith('■')) return 'text-amber-300';
  return line.stream === 'stderr' ? 'text-amber-200' : 'text-slate-100';
}

/** A terminal-style log that follows new lines while the reader is at the bottom. */
export function PipelineLog({ lines, label, follow }: { lines: LogLine[]; label: string; follow: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const shown = lines.length > MAX_LINES ? lines.slice(-MAX_LINES) : lines;
  const offset = lines.length - shown.length;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onScroll = () => {
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: follow each time lines are added
  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [lines.length, follow]);

  return (
    <div
      ref={box}
      role="log"
      aria-label={label}
      aria-live={follow ? 'polite' : 'off'}
      {...KEYBOARD_SCROLLABLE}
      className="max-h-[32rem] min-h-48 overflow-auto bg-slate-950 py-3 font-mono text-xs leading-5 focus-visible:outline-2 focus-visible:outline-emerald-500"
    >
      {offset > 0 && <p className="px-4 pb-1 text-slate-400 italic">… {offset} earlier lines not shown</p>}
      {shown.length === 0 ? (
        <p className="px-4 text-slate-400 italic">{follow ? 'Waiting for output…' : 'No output.'}</p>
      ) : (
        <table className="w-full border-collapse">
          <tbody>
            {shown.map((line, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a log line's position is its identity
              <tr key={offset + i} className="hover:bg-white/5">
                <td className="w-12 pr-3 pl-4 text-right align-top text-slate-500 select-none">
                  {offset + i + 1}
                </td>
                <td className={`pr-4 break-all whitespace-pre-wrap ${lineClass(line)}`}>{line.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** A stored log's text as lines (Orchard's own notes are recognised by their glyphs). */
export function textToLines(text: string): LogLine[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((t) => ({ text: t, stream: 'stdout' as const }));
}
