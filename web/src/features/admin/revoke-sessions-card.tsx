import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { RevokeAllSessions } from '../../api/admin-types.ts';
import { api } from '../../api/client.ts';
import { Alert, ErrorAlert } from '../../widgets/alert.tsx';
import { Card } from '../../widgets/card.tsx';
import { ConfirmButton } from '../../widgets/confirm-button.tsx';

/**
 * Sign everyone out at once (a stolen cookie, a departed admin): every session in every process
 * ends; API tokens keep working. The admin may keep their own session.
 */
export function RevokeSessionsCard() {
  const [keepMine, setKeepMine] = useState(true);
  const revoke = useMutation({
    mutationFn: (exceptCurrent: boolean) =>
      api.post<RevokeAllSessions>('/api/admin/sessions/revoke-all', { exceptCurrent }),
    // Without their own session the admin is signed out too: the next request finds out.
    onSuccess: (answer) => {
      if (!answer.keptCurrent) window.location.assign('/login');
    },
  });
  return (
    <Card
      title="Sign everyone out"
      description="Ends every browser session on the instance at once. API tokens (scripts, CI, agents) keep working: revoke those on the Tokens tab."
    >
      <div className="space-y-3">
        <ErrorAlert error={revoke.error} />
        {revoke.data && (
          <Alert tone="success">
            {revoke.data.revoked} session{revoke.data.revoked === 1 ? '' : 's'} ended
            {revoke.data.keptCurrent ? '; yours was kept.' : '.'}
          </Alert>
        )}
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={keepMine}
            onChange={(e) => setKeepMine(e.currentTarget.checked)}
            className="size-4 rounded border-slate-300 accent-emerald-700"
          />
          Keep my session
        </label>
        <ConfirmButton
          variant="danger"
          question={keepMine ? 'End every other session?' : 'End every session, yours too?'}
          confirmLabel="Sign everyone out"
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate(keepMine)}
        >
          Sign everyone out
        </ConfirmButton>
      </div>
    </Card>
  );
}
