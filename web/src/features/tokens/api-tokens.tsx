import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import type { CreatedToken, Scope } from '../../api/identity-types.ts';
import { keys } from '../../api/query-keys.ts';
import { useUser } from '../../app/session.ts';
import { FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { CopyButton } from '../../widgets/copy-button.tsx';
import { TextField } from '../../widgets/field.tsx';
import { TokenList } from './token-list.tsx';
import { ExpirySelect, readTokenForm } from './token-parts.tsx';

const SCOPES: Array<{ scope: Scope; help: string; adminOnly?: boolean }> = [
  { scope: 'read', help: 'read projects, pipelines and logs' },
  { scope: 'write', help: 'change them' },
  { scope: 'admin', help: 'manage users and the instance', adminOnly: true },
];

export function ApiTokens() {
  const [created, setCreated] = useState<CreatedToken | null>(null);
  return (
    <div className="space-y-6">
      {created && <NewTokenNotice token={created} onDismiss={() => setCreated(null)} />}
      <Card
        title="Create an API token"
        description="For the CLI, scripts, CI and agents: send it as Authorization: Bearer <token>."
      >
        <CreateTokenForm onCreated={setCreated} />
      </Card>
      <TokenList />
    </div>
  );
}

export function NewTokenNotice({ token, onDismiss }: { token: CreatedToken; onDismiss: () => void }) {
  return (
    <section
      aria-label="New API token"
      className="rounded-lg border border-emerald-200 bg-emerald-50 px-5 py-4"
    >
      <h2 className="text-sm font-semibold text-emerald-900">Token “{token.name}” created</h2>
      <p className="mt-1 text-sm text-emerald-900">
        Copy it now: it is shown only once and cannot be recovered.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <code
          data-testid="new-token"
          className="min-w-0 flex-1 rounded-md border border-emerald-200 bg-white px-3 py-2 font-mono text-sm break-all text-slate-900 select-all"
        >
          {token.token}
        </code>
        <CopyButton text={token.token} />
        <Button variant="ghost" size="sm" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </section>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const client = useQueryClient();
  const user = useUser();
  const create = useMutation({
    mutationFn: (body: { name: string; scopes: Scope[]; expiresInDays?: number }) =>
      api.post<CreatedToken>('/api/tokens', body),
    onSuccess: (token) => {
      onCreated(token);
      return client.invalidateQueries({ queryKey: keys.tokens });
    },
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    create.mutate(readTokenForm<Scope>(new FormData(formElement)), {
      onSuccess: () => formElement.reset(),
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Create an API token">
      <FormError error={create.error} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField
          label="Token name"
          name="name"
          required
          maxLength={100}
          placeholder="laptop CLI"
          error={errors.name}
        />
        <ExpirySelect />
      </div>
      <fieldset aria-describedby={errors.scopes ? 'token-scopes-error' : undefined}>
        <legend className="text-sm font-medium text-slate-800">Scopes</legend>
        <div className="mt-2 space-y-2">
          {SCOPES.filter((s) => !s.adminOnly || user.role === 'admin').map((s) => (
            <label key={s.scope} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                name="scopes"
                value={s.scope}
                defaultChecked={s.scope === 'read'}
                className="size-4 rounded border-slate-300 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-emerald-600"
              />
              <span className="font-medium">{s.scope}</span>
              <span className="text-slate-500">— {s.help}</span>
            </label>
          ))}
        </div>
        {errors.scopes && (
          <p id="token-scopes-error" className="mt-1.5 text-xs font-medium text-red-700">
            {errors.scopes}
          </p>
        )}
      </fieldset>
      <Button type="submit" busy={create.isPending}>
        Create token
      </Button>
    </form>
  );
}
