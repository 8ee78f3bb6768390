import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api, seg } from '../../api/client.ts';
import type { Page } from '../../api/page.ts';
import type { Secret } from '../../api/project-types.ts';
import { keys } from '../../api/query-keys.ts';
import { Alert, ErrorAlert, FormError } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { ConfirmButton } from '../../widgets/confirm-button.tsx';
import { TextField } from '../../widgets/field.tsx';
import { formatDateTime } from '../../widgets/format.ts';
import { Loading } from '../../widgets/spinner.tsx';

/** Secret names and versions only: values go in, never come back out. */
export function ProjectSecrets({
  slug,
  canRead,
  canWrite,
}: {
  slug: string;
  canRead: boolean;
  canWrite: boolean;
}) {
  return (
    <Card
      title="Secrets"
      description="Encrypted at rest and masked in logs (also as base64, hex and URL-encoded). Values can be replaced, never read back. A protected secret reaches only code on a protected branch (main) and runs a maintainer starts."
      flush
    >
      {canRead ? (
        <SecretList slug={slug} canWrite={canWrite} />
      ) : (
        <div className="p-5">
          <Alert>Secrets are visible to developers, maintainers and owners of this project.</Alert>
        </div>
      )}
      {canWrite && (
        <div className="border-t border-slate-200 px-5 py-4">
          <SetSecretForm slug={slug} />
        </div>
      )}
    </Card>
  );
}

function SecretList({ slug, canWrite }: { slug: string; canWrite: boolean }) {
  const client = useQueryClient();
  const secrets = useQuery({
    queryKey: keys.secrets(slug),
    queryFn: () => api.get<Page<Secret>>(`/api/projects/${seg(slug)}/secrets`),
  });
  const remove = useMutation({
    mutationFn: (name: string) => api.delete(`/api/projects/${seg(slug)}/secrets/${seg(name)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.secrets(slug) }),
  });
  const protect = useMutation({
    mutationFn: ({ name, value }: { name: string; value: boolean }) =>
      api.patch<Secret>(`/api/projects/${seg(slug)}/secrets/${seg(name)}`, { protected: value }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.secrets(slug) }),
  });

  if (secrets.isPending) return <Loading label="Loading secrets…" className="px-5" />;
  if (secrets.isError)
    return (
      <div className="p-5">
        <ErrorAlert error={secrets.error} />
      </div>
    );
  if (secrets.data.items.length === 0)
    return <p className="px-5 py-6 text-sm text-slate-500">No secrets yet.</p>;
  return (
    <>
      {(remove.isError || protect.isError) && (
        <div className="px-5 pt-4">
          <ErrorAlert error={remove.error ?? protect.error} />
        </div>
      )}
      <div className="relative overflow-x-auto">
        <table className="stack-table w-full text-left text-sm">
          <caption className="sr-only">Secrets of this project</caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-5 py-2 font-medium">
                Name
              </th>
              <th scope="col" className="px-5 py-2 font-medium">
                Version
              </th>
              <th scope="col" className="px-5 py-2 font-medium">
                Protected
              </th>
              <th scope="col" className="px-5 py-2 font-medium">
                Updated
              </th>
              {canWrite && (
                <th scope="col" className="px-5 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {secrets.data.items.map((s) => (
              <tr key={s.name}>
                <td data-label="Name" className="px-5 py-2.5 font-mono text-xs text-slate-900">
                  {s.name}
                </td>
                <td data-label="Version" className="px-5 py-2.5 text-slate-600">
                  v{s.version}
                </td>
                <td data-label="Protected" className="px-5 py-2.5 text-slate-600">
                  <div className="flex items-center gap-1">
                    {s.protected ? (
                      <Badge tone="green">protected</Badge>
                    ) : (
                      <Badge tone="amber">any branch</Badge>
                    )}
                    {canWrite && (
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`${s.protected ? 'Unprotect' : 'Protect'} secret ${s.name}`}
                        busy={protect.isPending && protect.variables?.name === s.name}
                        onClick={() => protect.mutate({ name: s.name, value: !s.protected })}
                      >
                        {s.protected ? 'Unprotect' : 'Protect'}
                      </Button>
                    )}
                  </div>
                </td>
                <td data-label="Updated" className="px-5 py-2.5 text-slate-600">
                  {formatDateTime(s.updatedAt)}
                </td>
                {canWrite && (
                  <td data-label="" className="px-5 py-2.5 text-right">
                    <ConfirmButton
                      variant="ghost"
                      size="sm"
                      aria-label={`Delete secret ${s.name}`}
                      question={`Delete ${s.name}?`}
                      confirmLabel="Delete"
                      busy={remove.isPending && remove.variables === s.name}
                      onConfirm={() => remove.mutate(s.name)}
                    >
                      Delete
                    </ConfirmButton>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function SetSecretForm({ slug }: { slug: string }) {
  const client = useQueryClient();
  const [saved, setSaved] = useState<string | null>(null);
  const put = useMutation({
    mutationFn: ({ name, value, isProtected }: { name: string; value: string; isProtected: boolean }) =>
      api.put<Secret>(`/api/projects/${seg(slug)}/secrets/${seg(name)}`, { value, protected: isProtected }),
    onSuccess: (secret) => {
      setSaved(`${secret.name} saved (version ${secret.version}).`);
      return client.invalidateQueries({ queryKey: keys.secrets(slug) });
    },
  });
  const errors = put.error instanceof ApiError ? put.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setSaved(null);
    put.mutate(
      {
        name: String(form.get('name') ?? '').trim(),
        value: String(form.get('value') ?? ''),
        isProtected: form.get('protected') === 'on',
      },
      // The value leaves the page with the request: clear it at once.
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Set a secret">
      <h3 className="text-sm font-semibold text-slate-900">Set a secret</h3>
      {saved && <Alert tone="success">{saved}</Alert>}
      <FormError error={put.error} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <TextField
          label="Secret name"
          name="name"
          required
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="DATABASE_PASSWORD"
          hint="UPPER_SNAKE_CASE. An existing name gets a new version."
          error={errors.name}
          className="font-mono leading-6"
        />
        <TextField
          label="Secret value"
          name="value"
          type="password"
          required
          autoComplete="new-password"
          error={errors.value}
        />
      </div>
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input
          type="checkbox"
          name="protected"
          defaultChecked
          className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-emerald-700"
        />
        <span>
          <span className="font-medium">Protected</span>{' '}
          <span className="text-slate-500">
            — only pipelines and deploys of protected branches, and runs a maintainer starts, get it. Untick
            only for values any developer may see: their branches' jobs can print or send them.
          </span>
        </span>
      </label>
      <Button type="submit" variant="secondary" busy={put.isPending}>
        Save secret
      </Button>
    </form>
  );
}
