import { type FormEvent, useId } from 'react';
import { ApiError } from '../../api/client.ts';
import { FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { selectClass, TextField } from '../../widgets/field.tsx';
import { useCreateServiceAccount } from './principal-queries.ts';

/** A new service account: a name, what it is for, and its instance role. */
export function CreateServiceAccountForm() {
  const create = useCreateServiceAccount();
  const roleId = useId();
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    create.mutate(
      {
        username: String(form.get('username') ?? '').trim(),
        description: String(form.get('description') ?? '').trim(),
        role: form.get('role') === 'admin' ? 'admin' : 'member',
      },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <form onSubmit={submit} className="space-y-4" aria-label="Create a service account">
      <FormError error={create.error} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <TextField
          label="Name"
          name="username"
          required
          maxLength={39}
          placeholder="ci-deploy"
          autoComplete="off"
          error={errors.username}
        />
        <TextField
          label="What it is for"
          name="description"
          optional
          maxLength={500}
          placeholder="Deploys from CI"
          error={errors.description}
        />
        <div className="space-y-1.5">
          <label htmlFor={roleId} className="block text-sm font-medium text-slate-800">
            Instance role
          </label>
          <select id={roleId} name="role" defaultValue="member" className={selectClass}>
            <option value="member">member — works in the projects it is added to</option>
            <option value="admin">admin — runs the instance</option>
          </select>
        </div>
      </div>
      <Button type="submit" busy={create.isPending}>
        Create service account
      </Button>
    </form>
  );
}
