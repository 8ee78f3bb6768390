import type { AccountLink } from '../../api/admin-types.ts';
import { Button } from '../../widgets/button.tsx';
import { CopyButton } from '../../widgets/copy-button.tsx';
import { formatDateTime } from '../../widgets/format.ts';

/**
 * A one-time link just made, shown once: the admin copies it and hands it over (Orchard sends no
 * email). Only its hash is stored, so it cannot be shown again; a new one replaces it.
 */
export function AccountLinkNotice({
  username,
  link,
  note,
  onDismiss,
}: {
  username: string;
  link: AccountLink;
  note?: string;
  onDismiss: () => void;
}) {
  const what = link.purpose === 'invite' ? 'Invitation' : 'Password-reset link';
  return (
    <section
      aria-label={`${what} for ${username}`}
      className="rounded-lg border border-emerald-200 bg-emerald-50 px-5 py-4"
    >
      <h2 className="text-sm font-semibold text-emerald-900">
        {what} for {username}
      </h2>
      <p className="mt-1 text-sm text-emerald-900">
        Copy it now and send it to {username} yourself: it is shown only once, works once, and expires{' '}
        {formatDateTime(link.expiresAt)}.{note ? ` ${note}` : ''}
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code
          data-testid="account-link"
          className="min-w-0 flex-1 rounded-md border border-emerald-200 bg-white px-3 py-2 font-mono text-sm break-all text-slate-900 select-all"
        >
          {link.url}
        </code>
        <CopyButton text={link.url} label="Copy link" />
        <Button variant="ghost" size="sm" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </section>
  );
}
