import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sessionStarted } from '../../app/session.ts';
import { Button } from '../../widgets/button.tsx';
import { signInWithPasskey } from './passkey-ceremonies.ts';
import { PasskeyError } from './passkey-error.tsx';

/** The login page's passwordless way in: the browser offers the passkeys it holds for Orchard. */
export function PasskeySignIn() {
  const client = useQueryClient();
  const signIn = useMutation({
    mutationFn: signInWithPasskey,
    onSuccess: () => sessionStarted(client),
  });
  return (
    <div className="mt-6 space-y-4">
      <div className="flex items-center gap-3 text-xs text-slate-500" aria-hidden="true">
        <span className="h-px flex-1 bg-slate-200" />
        or
        <span className="h-px flex-1 bg-slate-200" />
      </div>
      <PasskeyError error={signIn.error} />
      <Button variant="secondary" className="w-full" busy={signIn.isPending} onClick={() => signIn.mutate()}>
        Sign in with a passkey
      </Button>
    </div>
  );
}
