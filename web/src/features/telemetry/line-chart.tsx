import type { MetricSeries } from '../../api/telemetry-types.ts';

const COLORS = ['#047857', '#0369a1', '#b45309', '#b91c1c', '#7c3aed', '#0f766e', '#be185d', '#4d7c0f'];
const W = 640;
const H = 220;
const PAD = { left: 48, right: 8, top: 8, bottom: 24 };

const short = (v: number) =>
  Math.abs(v) >= 1e6
    ? `${(v / 1e6).toFixed(1)}M`
    : Math.abs(v) >= 1e3
      ? `${(v / 1e3).toFixed(1)}k`
      : Number(v.toPrecision(3)).toString();

/** An SVG line chart of a metric's series, one line per group. */
export function LineChart({ data }: { data: MetricSeries }) {
  const values = data.series.flatMap((s) => s.points.map((p) => p.v).filter((v): v is number => v !== null));
  const n = data.series[0]?.points.length ?? 0;
  if (!values.length || !n)
    return <p className="py-8 text-center text-sm text-slate-500">No values in this window.</p>;
  const min = Math.min(0, ...values);
  const max = Math.max(...values) === min ? min + 1 : Math.max(...values);
  const x = (i: number) => PAD.left + (n === 1 ? 0 : (i / (n - 1)) * (W - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - (v - min) / (max - min)) * (H - PAD.top - PAD.bottom);
  // Buckets without a value are stepped over (an exporter's interval is often wider than a step).
  const path = (points: Array<{ v: number | null }>) =>
    points
      .flatMap((p, i) => (p.v === null ? [] : [`${x(i).toFixed(1)},${y(p.v).toFixed(1)}`]))
      .map((xy, i) => `${i ? 'L' : 'M'}${xy}`)
      .join('');
  const first = data.series[0]!.points[0]!.t;
  const last = data.series[0]!.points[n - 1]!.t;
  return (
    <figure className="space-y-2">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${data.name} (${data.aggregation}${data.unit ? `, ${data.unit}` : ''})`}
        className="h-auto w-full"
        preserveAspectRatio="none"
      >
        {[0, 0.5, 1].map((f) => {
          const v = min + f * (max - min);
          return (
            <g key={f}>
              <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#e2e8f0" />
              <text x={PAD.left - 4} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#64748b">
                {short(v)}
              </text>
            </g>
          );
        })}
        <text x={PAD.left} y={H - 6} fontSize="11" fill="#64748b">
          {new Date(first).toLocaleTimeString()}
        </text>
        <text x={W - PAD.right} y={H - 6} textAnchor="end" fontSize="11" fill="#64748b">
          {new Date(last).toLocaleTimeString()}
        </text>
        {data.series.map((s, i) => (
          <path
            key={s.group ?? ''}
            data-series={s.group ?? ''}
            d={path(s.points)}
            fill="none"
            stroke={COLORS[i % COLORS.length]}
            strokeWidth="2"
            vectorEffect="non-scaling-stroke"
          />
        ))}
      </svg>
      {data.series.length > 1 && (
        <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
          {data.series.map((s, i) => (
            <span key={s.group ?? ''} className="flex items-center gap-1.5">
              <span
                className="inline-block h-2 w-3 rounded-sm"
                style={{ background: COLORS[i % COLORS.length] }}
              />
              {s.group || '(none)'}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}
