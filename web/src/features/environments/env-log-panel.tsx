import { LogView } from '../operations/live-log.tsx';
import { StreamIndicator } from '../operations/live-status.tsx';
import { useEnvironmentLogs } from './env-logs.ts';

/** One environment's app log, streamed. */
export function EnvironmentLogPanel({ slug, env }: { slug: string; env: string }) {
  const { lines, stream } = useEnvironmentLogs(slug, env);
  return (
    <div className="space-y-2">
      <div className="flex items-center justify-between">
        <p className="text-sm text-slate-600">
          <span className="font-medium text-slate-900">{env}</span> — stdout, stderr and the supervisor
        </p>
        <StreamIndicator state={stream === 'closed' ? 'connecting' : stream} />
      </div>
      <LogView
        label={`Log of ${env}`}
        className="h-80"
        empty="No log lines yet."
        lines={lines.map((l, i) => ({ id: `${i}:${l.seq}`, text: l.text, stream: l.stream, at: l.at }))}
      />
    </div>
  );
}
