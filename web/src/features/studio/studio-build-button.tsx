import { useId, useState } from 'react';
import type { Blueprint } from '../../api/studio-types.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';

/**
 * "Build it": disabled with the reason while the Blueprint is not ready, unless the user takes
 * responsibility with the override.
 */
export function BuildButton({
  blueprint,
  building,
  busy,
  error,
  onBuild,
}: {
  blueprint: Blueprint;
  /** A build of this Blueprint is running. */
  building: boolean;
  busy: boolean;
  error: unknown;
  onBuild: (override: boolean) => void;
}) {
  const overrideId = useId();
  const reasonId = useId();
  const [override, setOverride] = useState(false);
  const unmet = blueprint.readiness.unmet.length;
  const ready = blueprint.readiness.ready;
  const reason =
    building || blueprint.status === 'building'
      ? 'A build is running.'
      : blueprint.status === 'discarded'
        ? 'This Blueprint was discarded.'
        : !ready && !override
          ? `${unmet} readiness rule${unmet === 1 ? ' is' : 's are'} unmet.`
          : null;
  return (
    <div className="flex flex-col items-end gap-1.5">
      <div className="flex items-center gap-3">
        {!ready && !building && blueprint.status !== 'building' && (
          <label htmlFor={overrideId} className="flex items-center gap-1.5 text-xs text-slate-600">
            <input
              id={overrideId}
              type="checkbox"
              checked={override}
              onChange={(e) => setOverride(e.target.checked)}
              className="size-3.5 accent-emerald-700"
            />
            Build anyway
          </label>
        )}
        <Button
          busy={busy}
          disabled={reason !== null}
          aria-describedby={reason ? reasonId : undefined}
          onClick={() => onBuild(!ready && override)}
        >
          Build it
        </Button>
      </div>
      {reason && (
        <p id={reasonId} className="text-xs text-slate-500">
          {reason}
        </p>
      )}
      {Boolean(error) && <ErrorAlert error={error} />}
    </div>
  );
}
