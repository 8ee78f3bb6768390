import { useState } from 'react';
import type { AccountLink } from '../../api/admin-types.ts';
import { AccountLinkNotice } from './account-link-notice.tsx';
import { InviteUserForm } from './invite-user-form.tsx';
import { UsersTable } from './users-table.tsx';

interface Shown {
  username: string;
  link: AccountLink;
  note?: string;
}

/** The Users tab: invite people, and manage every account's role, status and sign-in links. */
export function UsersPanel() {
  const [shown, setShown] = useState<Shown | null>(null);
  return (
    <div className="space-y-6">
      {shown && <AccountLinkNotice {...shown} onDismiss={() => setShown(null)} />}
      <InviteUserForm onInvited={({ user, link }) => setShown({ username: user.username, link })} />
      <UsersTable
        onLink={({ user, link, sessionsEnded }) =>
          setShown({
            username: user.username,
            link,
            ...(link.purpose === 'reset'
              ? {
                  note: `Their ${sessionsEnded} open session${sessionsEnded === 1 ? ' was' : 's were'} ended.`,
                }
              : {}),
          })
        }
      />
    </div>
  );
}
