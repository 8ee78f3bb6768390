import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { SessionStart } from '../api/identity-types.ts';
import type { RequestBody } from '../api/openapi-answer.ts';
import { keys } from '../api/query-keys.ts';
import { AuthLayout } from '../app/auth-layout.tsx';
import { sessionStarted } from '../app/session.ts';
import { FormError } from '../widgets/alert.tsx';
import { Button } from '../widgets/button.tsx';
import { TextField } from '../widgets/field.tsx';

type SetupForm = RequestBody<'/api/setup/admin', 'post'>;

/** First run: the one account that can then invite everyone else. */
export function SetupPage() {
  const client = useQueryClient();
  const [mismatch, setMismatch] = useState(false);
  const create = useMutation({
    mutationFn: (body: SetupForm) => api.post<SessionStart>('/api/setup/admin', body),
    onSuccess: () => sessionStarted(client),
    onError: (error) => {
      // Someone else finished setup in the meantime: go and log in instead.
      if (error instanceof ApiError && error.status === 409)
        client.invalidateQueries({ queryKey: keys.setup });
    },
  });
  const errors = create.error instanceof ApiError ? create.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password'));
    if (password !== form.get('repeat')) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    create.mutate({
      username: String(form.get('username')).trim(),
      email: String(form.get('email')).trim(),
      password,
    });
  }

  return (
    <AuthLayout
      title="Create the admin account"
      subtitle="Welcome to Orchard. This first account administers the instance: it adds users and sees every project."
    >
      <form onSubmit={submit} className="space-y-4">
        <FormError error={create.error} />
        <TextField
          label="Username"
          name="username"
          defaultValue="admin"
          autoComplete="username"
          required
          error={errors.username}
          hint="Lowercase letters, digits, “.”, “_” or “-”."
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={errors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          error={errors.password}
          hint="At least 10 characters."
        />
        <TextField
          label="Repeat password"
          name="repeat"
          type="password"
          autoComplete="new-password"
          required
          error={mismatch ? 'The passwords differ; type the same one twice.' : undefined}
        />
        <Button type="submit" busy={create.isPending} className="w-full">
          Create admin account
        </Button>
      </form>
    </AuthLayout>
  );
}
