import { Link } from '../app/router.tsx';
import { useUser } from '../app/session.ts';
import { NotificationPreferencesCard } from '../features/notifications/notification-preferences-card.tsx';
import { PasskeysCard } from '../features/passkeys/passkeys-card.tsx';
import { DelegationsCard } from '../features/principals/delegations-card.tsx';
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
            {user.role === 'admin' && (
              <>
                {' '}
                The instance's settings (passkey policy, users, every token) are in{' '}
                <Link to="/admin?tab=instance" className="font-medium text-emerald-800 hover:underline">
                  Admin
                </Link>
                .
              </>
            )}
          </>
        }
      />
      <div className="max-w-4xl space-y-6">
        <PasskeysCard />
        <ApiTokens />
        <DelegationsCard />
        <NotificationPreferencesCard />
      </div>
    </>
  );
}
