import { useQueryClient } from '@tanstack/react-query';
import { AuthLayout } from '../app/auth-layout.tsx';
import { sessionStarted, useLogout } from '../app/session.ts';
import { AddPasskeyForm } from '../features/passkeys/add-passkey-form.tsx';
import { Button } from '../widgets/button.tsx';

/**
 * Shown instead of the app while the instance requires a passkey this person does not hold yet:
 * the API answers nothing else (`passkey_required`) until they add one.
 */
export function PasskeyRequiredPage() {
  const client = useQueryClient();
  const logout = useLogout();
  return (
    <AuthLayout
      title="Add a passkey to continue"
      subtitle="Your Orchard admin requires a passkey for signing in. Add one now; from then on you can sign in with it instead of your password."
    >
      <AddPasskeyForm onAdded={() => sessionStarted(client)} />
      <Button variant="ghost" className="mt-4 w-full" busy={logout.isPending} onClick={() => logout.mutate()}>
        Log out
      </Button>
    </AuthLayout>
  );
}
