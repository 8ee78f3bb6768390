import type { LlmProvider } from '../../api/admin-types.ts';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { ConfirmButton } from '../../widgets/confirm-button.tsx';

const BREAKER_TONE = { closed: 'green', open: 'red', 'half-open': 'amber' } as const;

/** One provider: kind, address, key (configured or not, never its value), models, circuit breaker. */
export function ProviderItem({
  provider,
  removing,
  onEdit,
  onRemove,
}: {
  provider: LlmProvider;
  removing: boolean;
  onEdit: () => void;
  onRemove: () => void;
}) {
  const p = provider;
  return (
    <li className="space-y-1.5 px-5 py-4">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium text-slate-900">{p.name}</span>
        <Badge>{p.kind}</Badge>
        <Badge tone={BREAKER_TONE[p.breaker.state]}>breaker {p.breaker.state}</Badge>
        {p.source === 'config' && <Badge tone="blue">config file</Badge>}
        <span className="ml-auto flex gap-1">
          {p.source === 'api' && (
            <>
              <Button variant="ghost" size="sm" aria-label={`Edit provider ${p.name}`} onClick={onEdit}>
                Edit
              </Button>
              <ConfirmButton
                variant="ghost"
                size="sm"
                aria-label={`Remove provider ${p.name}`}
                question="Remove?"
                confirmLabel="Remove"
                busy={removing}
                onConfirm={onRemove}
              >
                Remove
              </ConfirmButton>
            </>
          )}
        </span>
      </div>
      <p className="font-mono text-xs break-all text-slate-500">{p.baseUrl}</p>
      <p className="text-xs text-slate-600">
        Key:{' '}
        {p.apiKey.configured ? `set (${p.apiKey.source}${p.apiKey.ref ? ` ${p.apiKey.ref}` : ''})` : 'none'}
        {' · '}
        {p.models.length === 0
          ? 'no models listed'
          : `${p.models.length} model${p.models.length === 1 ? '' : 's'}: ${p.models.map((m) => m.id).join(', ')}`}
      </p>
      {p.source === 'config' && (
        <p className="text-xs text-slate-500">Set in the config file: change it there and restart Orchard.</p>
      )}
    </li>
  );
}
