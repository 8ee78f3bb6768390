import { type ReactNode, type RefObject, useLayoutEffect, useRef, useState } from 'react';

/** Small charts drawn as inline SVG (no chart library): horizontal bars and lines over time. */

const PALETTE = ['#047857', '#0284c7', '#d97706', '#7c3aed', '#dc2626', '#0d9488', '#64748b'];

/** The element's width in CSS pixels, kept current, so charts draw their text at its true size. */
function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** Measures its box and hands the width to the chart (or shows `empty`). */
function Sized({ empty, children }: { empty: string | false; children: (width: number) => ReactNode }) {
  const [ref, width] = useWidth();
  return (
    <div ref={ref}>
      {empty ? (
        <p className="py-6 text-center text-sm text-slate-500">{empty}</p>
      ) : (
        width > 0 && children(Math.max(width, 240))
      )}
    </div>
  );
}

export interface Bar {
  label: string;
  /** One value, or stacked segments (drawn left to right in palette order). */
  values: number[];
}

/** Horizontal bars: a label column, the bar, and the formatted total at its end. */
export function BarChart({
  title,
  bars,
  format,
  segments,
}: {
  title: string;
  bars: Bar[];
  format: (n: number) => string;
  /** Names of stacked segments (shown as a legend). */
  segments?: string[];
}) {
  return (
    <Sized empty={bars.length === 0 && 'No data in this window.'}>
      {(W) => {
        const ROW = 26;
        const LABEL = Math.min(180, Math.round(W * 0.38));
        const VALUE = 76;
        const area = W - LABEL - VALUE;
        const max = Math.max(...bars.map((b) => b.values.reduce((a, v) => a + v, 0)), Number.MIN_VALUE);
        const H = bars.length * ROW + 4;
        const chars = Math.floor((LABEL - 8) / 7);
        return (
          <figure>
            <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={title}>
              <title>{title}</title>
              {bars.map((b, i) => {
                const y = i * ROW + 4;
                const total = b.values.reduce((a, v) => a + v, 0);
                let x = LABEL;
                return (
                  <g key={b.label}>
                    <text x={LABEL - 8} y={y + 13} textAnchor="end" className="fill-slate-700 text-[12px]">
                      {b.label.length > chars ? `${b.label.slice(0, chars - 1)}…` : b.label}
                    </text>
                    <rect x={LABEL} y={y} width={area} height={18} rx={3} className="fill-slate-100" />
                    {b.values.map((v, s) => {
                      const w = (v / max) * area;
                      const rect = (
                        <rect
                          key={segments?.[s] ?? s}
                          x={x}
                          y={y}
                          width={w}
                          height={18}
                          rx={3}
                          fill={PALETTE[s % PALETTE.length]}
                        />
                      );
                      x += w;
                      return rect;
                    })}
                    <text x={W - VALUE + 8} y={y + 13} className="fill-slate-600 text-[12px] tabular-nums">
                      {format(total)}
                    </text>
                  </g>
                );
              })}
            </svg>
            {segments && <Legend names={segments} />}
          </figure>
        );
      }}
    </Sized>
  );
}

export interface Series {
  name: string;
  points: Array<{ t: number; v: number }>;
}

/**
 * Lines over time with a light grid; the y axis starts at 0 and the x axis spans the points
 * themselves (calls come in bursts: a whole window would crush them against one edge).
 */
export function LineChart({
  title,
  series,
  format,
}: {
  title: string;
  series: Series[];
  format: (n: number) => string;
}) {
  const points = series.flatMap((s) => s.points);
  return (
    <Sized empty={points.length === 0 && 'No calls in this window.'}>
      {(W) => {
        const H = 190;
        const pad = { l: 56, r: 12, t: 10, b: 24 };
        const first = Math.min(...points.map((p) => p.t));
        const last = Math.max(...points.map((p) => p.t));
        const from = first === last ? first - 1000 : first;
        const to = first === last ? last + 1000 : last;
        const max = niceMax(Math.max(...points.map((p) => p.v)));
        const x = (t: number) => pad.l + ((t - from) / (to - from)) * (W - pad.l - pad.r);
        const y = (v: number) => H - pad.b - (v / max) * (H - pad.t - pad.b);
        const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
        const sameDay = to - from < 86_400_000;
        const time = (t: number) =>
          new Date(t).toLocaleString(
            undefined,
            sameDay
              ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
              : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
          );
        return (
          <figure>
            <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={title}>
              <title>{title}</title>
              {ticks.map((v) => (
                <g key={v}>
                  <line
                    x1={pad.l}
                    x2={W - pad.r}
                    y1={y(v)}
                    y2={y(v)}
                    className="stroke-slate-200"
                    strokeDasharray={v === 0 ? undefined : '3 3'}
                  />
                  <text
                    x={pad.l - 6}
                    y={y(v) + 4}
                    textAnchor="end"
                    className="fill-slate-500 text-[11px] tabular-nums"
                  >
                    {format(v)}
                  </text>
                </g>
              ))}
              <text x={pad.l} y={H - 6} className="fill-slate-500 text-[11px]">
                {time(from)}
              </text>
              <text x={W - pad.r} y={H - 6} textAnchor="end" className="fill-slate-500 text-[11px]">
                {time(to)}
              </text>
              {series.map((s, i) => {
                const color = PALETTE[i % PALETTE.length];
                const sorted = [...s.points].sort((a, b) => a.t - b.t);
                return (
                  <g key={s.name}>
                    <polyline
                      fill="none"
                      stroke={color}
                      strokeWidth={1.75}
                      strokeLinejoin="round"
                      points={sorted.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')}
                    />
                    {sorted.map((p, j) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: points may share a time and a value
                      <circle key={j} cx={x(p.t)} cy={y(p.v)} r={2.5} fill={color} />
                    ))}
                  </g>
                );
              })}
            </svg>
            <Legend names={series.map((s) => s.name)} />
          </figure>
        );
      }}
    </Sized>
  );
}

function Legend({ names }: { names: string[] }) {
  return (
    <figcaption className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
      {names.map((n, i) => (
        <span key={n} className="inline-flex items-center gap-1.5">
          <svg viewBox="0 0 10 10" className="size-2.5" aria-hidden="true">
            <rect width="10" height="10" rx="2" fill={PALETTE[i % PALETTE.length]} />
          </svg>
          {n}
        </span>
      ))}
    </figcaption>
  );
}

/** 1, 2, 2.5, 5 × 10ⁿ at or above the data, so grid labels are round numbers. */
function niceMax(value: number) {
  if (value <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= value) return m * exp;
  return 10 * exp;
}
