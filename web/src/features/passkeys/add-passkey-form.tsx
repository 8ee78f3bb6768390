import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { ApiError } from '../../api/client.ts';
import type { Passkey } from '../../api/passkey-types.ts';
import { keys } from '../../api/query-keys.ts';
import { Button } from '../../widgets/button.tsx';
import { TextField } from '../../widgets/field.tsx';
import { addPasskey } from './passkey-ceremonies.ts';
import { PasskeyError } from './passkey-error.tsx';

/** Names a new passkey, then runs the browser's prompt to make it. */
export function AddPasskeyForm({ onAdded }: { onAdded?: (passkey: Passkey) => void }) {
  const client = useQueryClient();
  const add = useMutation({
    mutationFn: addPasskey,
    onSuccess: async (passkey) => {
      await client.invalidateQueries({ queryKey: keys.passkeys });
      onAdded?.(passkey);
    },
  });
  const errors = add.error instanceof ApiError ? add.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = String(new FormData(formElement).get('name') ?? '').trim();
    add.mutate(name, { onSuccess: () => formElement.reset() });
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Add a passkey">
      {!errors.name && <PasskeyError error={add.error} />}
      <TextField
        label="Passkey name"
        name="name"
        required
        maxLength={64}
        placeholder="work laptop"
        hint="To tell your passkeys apart: the device or password manager that holds it."
        error={errors.name}
      />
      <Button type="submit" busy={add.isPending}>
        Add a passkey
      </Button>
    </form>
  );
}
