import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { keys } from '../api/query-keys.ts';
import type { SystemWarning } from '../api/system-types.ts';
import { Button } from '../widgets/button.tsx';

const DISMISSED = 'orchard.dismissedWarnings';

/** A warning is dismissed as worded: if what the machine lacks changes, the banner comes back. */
const warningKey = (w: SystemWarning) => `${w.id}:${w.summary}`;

function readDismissed(): string[] {
  try {
    const value = JSON.parse(localStorage.getItem(DISMISSED) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** The banner over every signed-in page: what is missing on the server's machine and how to fix it. */
export function SystemWarningsBanner() {
  const warnings = useQuery({
    queryKey: keys.systemWarnings,
    queryFn: () => api.get<{ items: SystemWarning[] }>('/api/system/warnings'),
    staleTime: 5 * 60_000,
  });
  const [dismissed, setDismissed] = useState(readDismissed);
  const shown = (warnings.data?.items ?? []).filter((w) => !dismissed.includes(warningKey(w)));
  if (!shown.length) return null;
  const dismiss = () => {
    const next = [...new Set([...dismissed, ...shown.map(warningKey)])];
    localStorage.setItem(DISMISSED, JSON.stringify(next));
    setDismissed(next);
  };
  return (
    <section
      aria-label="System warnings"
      className="border-b border-amber-200 bg-amber-50 text-sm text-amber-900"
    >
      <div className="mx-auto flex max-w-6xl items-start gap-4 px-4 py-3 sm:px-6">
        <ul className="flex-1 space-y-1">
          {shown.map((w) => (
            <li key={w.id}>
              <span className="font-semibold">{w.summary}.</span>{' '}
              {w.fix && <span className="break-words">{w.fix}</span>}
            </li>
          ))}
        </ul>
        <Button variant="ghost" size="sm" onClick={dismiss} aria-label="Dismiss system warnings">
          Dismiss
        </Button>
      </div>
    </section>
  );
}
