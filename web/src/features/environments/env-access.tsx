import type { Environment } from '../../api/env-types.ts';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { formatDateTime } from '../../widgets/format.ts';
import type { useCreateShareLink, useSetAccess } from './env-queries.ts';

/** Who may open an environment: a badge, and for maintainers the switch. */
export function AccessBadge({ env }: { env: Environment }) {
  return env.access === 'private' ? <Badge>private</Badge> : <Badge tone="amber">public</Badge>;
}

/** Make public / private (maintainers) and Share link (developers, while private). */
export function AccessActions({
  env,
  canSwitch,
  canShare,
  access,
  share,
}: {
  env: Environment;
  canSwitch: boolean;
  canShare: boolean;
  access: ReturnType<typeof useSetAccess>;
  share: ReturnType<typeof useCreateShareLink>;
}) {
  return (
    <>
      {canShare && env.access === 'private' && (
        <Button
          size="sm"
          variant="ghost"
          busy={share.isPending && share.variables?.env === env.name}
          onClick={() => share.mutate({ env: env.name })}
        >
          Share link
        </Button>
      )}
      {canSwitch && (
        <Button
          size="sm"
          variant="ghost"
          busy={access.isPending && access.variables?.env === env.name}
          onClick={() =>
            access.mutate({ env: env.name, access: env.access === 'private' ? 'public' : 'private' })
          }
        >
          {env.access === 'private' ? 'Make public' : 'Make private'}
        </Button>
      )}
    </>
  );
}

/** The link just made: shown once, to copy. */
export function NewShareLink({ link }: { link: NonNullable<ReturnType<typeof useCreateShareLink>['data']> }) {
  return (
    <div role="status" className="mt-2 rounded-md border border-emerald-200 bg-emerald-50 p-2 text-xs">
      <label className="block font-medium text-emerald-900" htmlFor={`share-${link.id}`}>
        Share link (anyone with it can open this environment until {formatDateTime(link.expiresAt)})
      </label>
      <input
        id={`share-${link.id}`}
        readOnly
        value={link.url}
        onFocus={(e) => e.currentTarget.select()}
        className="mt-1 w-full rounded border border-emerald-300 bg-white px-2 py-1 font-mono"
      />
    </div>
  );
}
