import { Card } from '../../widgets/card.tsx';
import { AddPasskeyForm } from './add-passkey-form.tsx';
import { PasskeyList } from './passkey-list.tsx';

/** Settings → Passkeys: add one (named), see each with its last use, rename or revoke it. */
export function PasskeysCard() {
  return (
    <Card
      title="Passkeys"
      description="Sign in with your fingerprint, face, device PIN or a security key instead of your password."
      flush
    >
      <div className="border-b border-slate-200 px-5 py-4">
        <AddPasskeyForm />
      </div>
      <PasskeyList />
    </Card>
  );
}
