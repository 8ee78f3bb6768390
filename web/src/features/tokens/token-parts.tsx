import { useId } from 'react';
import { Badge } from '../../widgets/badge.tsx';
import { selectClass } from '../../widgets/field.tsx';

/** A token's scopes as badges: admin red, write amber. */
export function ScopeBadges({ scopes }: { scopes: readonly string[] }) {
  return (
    <div className="flex flex-wrap gap-1">
      {scopes.map((s) => (
        <Badge key={s} tone={s === 'admin' ? 'red' : s === 'write' ? 'amber' : 'neutral'}>
          {s}
        </Badge>
      ))}
    </div>
  );
}

const EXPIRY = [
  { days: 30, label: '30 days' },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
  { days: 0, label: 'Never' },
];

/** "Expires after" for a new token's form: field `expiresInDays`, 0 for never (read it with `readTokenForm`). */
export function ExpirySelect() {
  const id = useId();
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        Expires after
      </label>
      <select id={id} name="expiresInDays" defaultValue="90" className={selectClass}>
        {EXPIRY.map((e) => (
          <option key={e.days} value={e.days}>
            {e.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** What a new token's form asks for: its name, the checked scopes and the expiry (none for never). */
export function readTokenForm<S extends string>(form: FormData) {
  const days = Number(form.get('expiresInDays'));
  return {
    name: String(form.get('name') ?? '').trim(),
    scopes: form.getAll('scopes').map(String) as S[],
    ...(days > 0 && { expiresInDays: days }),
  };
}

/** Past its expiry (a token without one never is). */
export function isExpired(token: { expiresAt: string | null }): boolean {
  return token.expiresAt !== null && new Date(token.expiresAt).getTime() <= Date.now();
}
