import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api, seg } from '../../api/client.ts';
import type { Page } from '../../api/page.ts';
import type { Passkey } from '../../api/passkey-types.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { RevokeButton } from '../../widgets/confirm-button.tsx';
import { controlClass } from '../../widgets/field.tsx';
import { formatDateTime } from '../../widgets/format.ts';
import { Loading } from '../../widgets/spinner.tsx';
import { LastUsed } from '../../widgets/time-ago.tsx';

/** The person's passkeys, oldest first, each renamable and revocable. */
export function PasskeyList() {
  const client = useQueryClient();
  const passkeys = useQuery({
    queryKey: keys.passkeys,
    queryFn: () => api.get<Page<Passkey>>('/api/passkeys'),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete<Passkey>(`/api/passkeys/${seg(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.passkeys }),
  });

  if (passkeys.isPending) return <Loading label="Loading passkeys…" className="px-5" />;
  if (passkeys.isError)
    return (
      <div className="p-5">
        <ErrorAlert error={passkeys.error} />
      </div>
    );
  return (
    <>
      {revoke.isError && (
        <div className="px-5 pt-4">
          <ErrorAlert error={revoke.error} />
        </div>
      )}
      {passkeys.data.items.length === 0 ? (
        <p className="px-5 py-6 text-sm text-slate-500">No passkeys yet.</p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="stack-table w-full text-left text-sm">
            <caption className="sr-only">Your passkeys</caption>
            <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-5 py-2 font-medium">
                  Added
                </th>
                <th scope="col" className="px-5 py-2 font-medium">
                  Last used
                </th>
                <th scope="col" className="px-5 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {passkeys.data.items.map((p) => (
                <PasskeyRow
                  key={p.id}
                  passkey={p}
                  revoking={revoke.isPending && revoke.variables === p.id}
                  onRevoke={() => revoke.mutate(p.id)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function PasskeyRow({
  passkey,
  revoking,
  onRevoke,
}: {
  passkey: Passkey;
  revoking: boolean;
  onRevoke: () => void;
}) {
  const [renaming, setRenaming] = useState(false);
  return (
    <tr>
      <td data-label="Name" className="px-5 py-3">
        {renaming ? (
          <RenameForm passkey={passkey} onDone={() => setRenaming(false)} />
        ) : (
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-slate-900">{passkey.name}</span>
            {passkey.deviceType === 'multiDevice' && <Badge tone="neutral">synced</Badge>}
          </div>
        )}
      </td>
      <td data-label="Added" className="px-5 py-3 text-slate-600">
        {formatDateTime(passkey.createdAt)}
      </td>
      <td data-label="Last used" className="px-5 py-3 text-slate-600">
        <LastUsed at={passkey.lastUsedAt} />
      </td>
      <td data-label="" className="px-5 py-3 text-right whitespace-nowrap">
        {!renaming && (
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Rename passkey ${passkey.name}`}
            onClick={() => setRenaming(true)}
          >
            Rename
          </Button>
        )}
        <RevokeButton label={`Revoke passkey ${passkey.name}`} busy={revoking} onConfirm={onRevoke} />
      </td>
    </tr>
  );
}

function RenameForm({ passkey, onDone }: { passkey: Passkey; onDone: () => void }) {
  const client = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  // The field replaces the Rename button that had focus: hand focus on, so keyboard users keep their place.
  useEffect(() => input.current?.focus(), []);
  const rename = useMutation({
    mutationFn: (name: string) => api.patch<Passkey>(`/api/passkeys/${seg(passkey.id)}`, { name }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: keys.passkeys });
      onDone();
    },
  });
  const error =
    rename.error instanceof ApiError ? (rename.error.fieldErrors().name ?? rename.error.detail) : undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate(String(new FormData(event.currentTarget).get('name') ?? '').trim());
  }

  return (
    <form onSubmit={submit} aria-label={`Rename passkey ${passkey.name}`} className="space-y-1">
      <div className="flex flex-wrap items-center gap-2">
        <input
          name="name"
          aria-label="New name"
          defaultValue={passkey.name}
          required
          maxLength={64}
          ref={input}
          aria-invalid={error ? true : undefined}
          className={`${controlClass(error)} min-w-0 flex-1`}
        />
        <Button type="submit" size="sm" busy={rename.isPending}>
          Save
        </Button>
        <Button variant="ghost" size="sm" onClick={onDone}>
          Cancel
        </Button>
      </div>
      {error && <p className="text-xs font-medium text-red-700">{error}</p>}
    </form>
  );
}
