import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { SessionStart } from '../api/identity-types.ts';
import { AuthLayout } from '../app/auth-layout.tsx';
import { useLocation } from '../app/router.tsx';
import { sessionStarted } from '../app/session.ts';
import { OidcSignIn, OidcSignInError } from '../features/oidc/oidc-sign-in.tsx';
import { PasskeySignIn } from '../features/passkeys/passkey-sign-in.tsx';
import { FormError } from '../widgets/alert.tsx';
import { Button } from '../widgets/button.tsx';
import { TextField } from '../widgets/field.tsx';

export function LoginPage() {
  const client = useQueryClient();
  const { search } = useLocation();
  // Single sign-on came back here: the provider refused, or Orchard did (see oidc-errors.ts).
  const ssoError = search.get('error');
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
      {ssoError && (
        <div className="mb-4">
          <OidcSignInError code={ssoError} provider={search.get('provider')} />
        </div>
      )}
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
      <OidcSignIn next={search.get('next')} />
    </AuthLayout>
  );
}
