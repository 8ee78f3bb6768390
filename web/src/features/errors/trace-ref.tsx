import { Link } from '../../app/router.tsx';
import { traceLink } from '../telemetry/telemetry-paths.ts';
import type { ErrorScope } from './error-scope.ts';

/**
 * An occurrence's trace: a link to the trace on the environment's telemetry page; Orchard's own
 * errors' traces go to whatever collector Orchard exports to, so there the id is shown to copy.
 */
export function TraceRef({ scope, traceId }: { scope: ErrorScope; traceId: string }) {
  const id = <code className="font-mono break-all">{traceId}</code>;
  return (
    <span className="text-xs text-slate-500">
      trace{' '}
      {scope.kind === 'environment' ? (
        <Link to={traceLink(scope.slug, scope.env, traceId)} className="text-emerald-800 hover:underline">
          {id}
        </Link>
      ) : (
        <span className="text-slate-700">{id}</span>
      )}
    </span>
  );
}
