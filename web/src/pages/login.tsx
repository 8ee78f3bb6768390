import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { SessionStart } from '../api/identity-types.ts';
import { AuthLayout } from '../app/auth-layout.tsx';
import { sessionStarted } from '../app/session.ts';
import { PasskeySignIn } from '../features/passkeys/passkey-sign-in.tsx';
import { FormError } from '../widgets/alert.tsx';
import { Button } from '../widgets/button.tsx';
import { TextField } from '../widgets/field.tsx';

export function LoginPage() {
  const client = useQueryClient();
  const login = useMutation({
    mutationFn: (body: { login: string; password: string }) =>
      api.post<SessionStart>('/api/auth/login', body),
    // The app gate sees the user and moves on to where they were going.
    onSuccess: () => sessionStarted(client),
  });
  const errors = login.error instanceof ApiError ? login.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    login.mutate({ login: String(form.get('login')).trim(), password: String(form.get('password')) });
  }

  return (
    <AuthLayout title="Log in to Orchard">
      <form onSubmit={submit} className="space-y-4">
        <FormError error={login.error} />
        <TextField
          label="Username or email"
          name="login"
          autoComplete="username"
          required
          error={errors.login}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={errors.password}
        />
        <Button type="submit" busy={login.isPending} className="w-full">
          Log in
        </Button>
      </form>
      <PasskeySignIn />
    </AuthLayout>
  );
}
