import { ApiTokens } from '../components/api-tokens.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { useUser } from '../session.ts';

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
      <div className="max-w-4xl">
        <ApiTokens />
      </div>
    </>
  );
}
