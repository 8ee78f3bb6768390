import { useUser } from '../app/session.ts';
import { PasskeyPolicyCard } from '../features/passkeys/passkey-policy-card.tsx';
import { PasskeysCard } from '../features/passkeys/passkeys-card.tsx';
import { ApiTokens } from '../features/tokens/api-tokens.tsx';
import { PageHeader } from '../widgets/page-header.tsx';

export function SettingsPage() {
  const user = useUser();
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          <>
            Signed in as <strong className="font-medium text-slate-800">{user.username}</strong> ({user.email}
            ).
          </>
        }
      />
      <div className="max-w-4xl space-y-6">
        <PasskeysCard />
        {user.role === 'admin' && <PasskeyPolicyCard />}
        <ApiTokens />
      </div>
    </>
  );
}
