import { useId, useState } from 'react';
import type { AlertRule } from '../../api/alert-types.ts';
import { Button } from '../../widgets/button.tsx';
import { controlClass } from '../../widgets/field.tsx';
import { formatDateTime } from '../../widgets/format.ts';
import type { useSilenceAlertRule } from './alert-queries.ts';

const HOUR = 3600_000;

/** Silence for an hour, a day or until a chosen time; or lift a silence that is on. */
export function AlertSilence({
  rule,
  silence,
}: {
  rule: AlertRule;
  /** The list's one silence mutation, so its error shows above the list. */
  silence: ReturnType<typeof useSilenceAlertRule>;
}) {
  const [custom, setCustom] = useState<string | null>(null);
  const inputId = useId();
  const busy = silence.isPending && silence.variables?.id === rule.id;
  const until = (ms: number) =>
    silence.mutate({ id: rule.id, until: new Date(Date.now() + ms).toISOString() });
  const silenced = rule.silencedUntil && new Date(rule.silencedUntil).getTime() > Date.now();
  if (silenced)
    return (
      <Button
        size="sm"
        variant="ghost"
        busy={busy}
        onClick={() => silence.mutate({ id: rule.id, until: null })}
      >
        Unsilence
      </Button>
    );
  if (custom !== null)
    return (
      <form
        className="flex flex-wrap items-center gap-1.5"
        onSubmit={(e) => {
          e.preventDefault();
          if (custom)
            silence.mutate(
              { id: rule.id, until: new Date(custom).toISOString() },
              { onSuccess: () => setCustom(null) },
            );
        }}
      >
        <label htmlFor={inputId} className="sr-only">
          Silence until
        </label>
        <input
          id={inputId}
          type="datetime-local"
          required
          value={custom}
          onChange={(e) => setCustom(e.target.value)}
          className={`${controlClass()} h-8 w-auto py-1`}
        />
        <Button size="sm" type="submit" busy={busy}>
          Silence
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setCustom(null)}>
          Cancel
        </Button>
      </form>
    );
  return (
    <span className="inline-flex flex-wrap items-center gap-1">
      <span className="text-xs text-slate-500">Silence</span>
      <Button
        size="sm"
        variant="ghost"
        busy={busy}
        aria-label="Silence for 1 hour"
        onClick={() => until(HOUR)}
      >
        1h
      </Button>
      <Button
        size="sm"
        variant="ghost"
        busy={busy}
        aria-label="Silence for 24 hours"
        onClick={() => until(24 * HOUR)}
      >
        24h
      </Button>
      <Button
        size="sm"
        variant="ghost"
        onClick={() => setCustom(formatLocal(new Date(Date.now() + 4 * HOUR)))}
      >
        Custom…
      </Button>
    </span>
  );
}

/** `YYYY-MM-DDTHH:mm` in the browser's zone, as a datetime-local input wants it. */
function formatLocal(d: Date) {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function silenceLabel(rule: AlertRule) {
  return rule.silencedUntil && new Date(rule.silencedUntil).getTime() > Date.now()
    ? `silenced until ${formatDateTime(rule.silencedUntil)}`
    : null;
}
