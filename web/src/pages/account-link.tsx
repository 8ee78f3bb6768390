import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { AccountLinkLookup } from '../api/admin-types.ts';
import { ApiError, api } from '../api/client.ts';
import type { SessionStart } from '../api/identity-types.ts';
import { keys } from '../api/query-keys.ts';
import { AuthLayout } from '../app/auth-layout.tsx';
import { HOME } from '../app/home.ts';
import type { PageProps } from '../app/page-props.ts';
import { Link, navigate, useLocation } from '../app/router.tsx';
import { sessionStarted, useMe } from '../app/session.ts';
import { Alert, ErrorAlert, FormError } from '../widgets/alert.tsx';
import { Button } from '../widgets/button.tsx';
import { TextField } from '../widgets/field.tsx';
import { formatDateTime } from '../widgets/format.ts';
import { Loading } from '../widgets/spinner.tsx';

/**
 * `/invite/:token` and `/reset-password/:token`: the page of a one-time link an admin handed
 * someone. It says whose account it is, takes the password they choose, and signs them in.
 */
export function AccountLinkPage({ params }: PageProps) {
  const token = params.token ?? '';
  const invite = useLocation().pathname.startsWith('/invite/');
  const client = useQueryClient();
  const me = useMe();
  const [mismatch, setMismatch] = useState(false);
  const link = useQuery({
    queryKey: ['account-link', token],
    queryFn: () => api.post<AccountLinkLookup>('/api/account-links/lookup', { token }),
    retry: false,
    staleTime: Infinity,
  });
  const accept = useMutation({
    mutationFn: (password: string) =>
      api.post<SessionStart>('/api/account-links/accept', { token, password }),
    onSuccess: async () => {
      // Whoever was signed in here before is not who is now: drop what they could see.
      client.removeQueries({
        predicate: (q) => q.queryKey[0] !== keys.setup[0] && q.queryKey[0] !== keys.me[0],
      });
      await sessionStarted(client);
      navigate(HOME);
    },
  });
  const errors = accept.error instanceof ApiError ? accept.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password'));
    setMismatch(password !== form.get('repeat'));
    if (password === form.get('repeat')) accept.mutate(password);
  }

  const title = invite ? 'Join Orchard' : 'Choose a new password';
  if (link.isPending)
    return (
      <AuthLayout title={title}>
        <Loading label="Checking the link…" />
      </AuthLayout>
    );
  if (link.isError)
    return (
      <AuthLayout title="This link does not work">
        <ErrorAlert error={link.error} />
        <p className="mt-4 text-sm text-slate-600">
          <Link to="/login" className="font-medium text-emerald-800 hover:underline">
            Go to the sign-in page
          </Link>
        </p>
      </AuthLayout>
    );
  const { username, expiresAt } = link.data;
  const other = me.data && me.data.user.username !== username ? me.data.user.username : null;
  return (
    <AuthLayout
      title={title}
      subtitle={
        <>
          {invite ? 'You were invited as ' : 'For the account '}
          <strong className="font-medium text-slate-800">{username}</strong>. Choose a password to
          {invite ? ' sign in' : ' sign in again'}; this link works once, until {formatDateTime(expiresAt)}.
        </>
      }
    >
      <form onSubmit={submit} className="space-y-4" aria-label={title}>
        {other && (
          <Alert>
            You are signed in as {other}. Setting this password signs you in as {username} instead.
          </Alert>
        )}
        <FormError error={accept.error} />
        <input type="hidden" name="username" autoComplete="username" value={username} readOnly />
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
        <Button type="submit" busy={accept.isPending} className="w-full">
          {invite ? 'Set password and sign in' : 'Save password and sign in'}
        </Button>
      </form>
    </AuthLayout>
  );
}
