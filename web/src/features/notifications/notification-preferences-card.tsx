import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type {
  NotificationPreference,
  NotificationPreferences,
  PreferencesBody,
} from '../../api/notification-types.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Card } from '../../widgets/card.tsx';
import { Loading } from '../../widgets/spinner.tsx';

const box =
  'size-4 rounded border-slate-300 accent-emerald-700 focus-visible:outline-2 focus-visible:outline-emerald-600';

/** Which events reach the person, in the app and by email (each change is saved at once). */
export function NotificationPreferencesCard() {
  const client = useQueryClient();
  const prefs = useQuery({
    queryKey: keys.notificationPreferences,
    queryFn: () => api.get<NotificationPreferences>('/api/me/notifications/preferences'),
  });
  const save = useMutation({
    mutationFn: (item: Pick<NotificationPreference, 'kind' | 'inApp' | 'email'>) =>
      api.put<NotificationPreferences>('/api/me/notifications/preferences', {
        items: [item],
      } satisfies PreferencesBody),
    onSuccess: (answer) => client.setQueryData(keys.notificationPreferences, answer),
  });
  return (
    <section id="notifications">
      <Card
        title="Notifications"
        description="In the app (the bell at the top) and by email. Project webhooks are set per project."
        flush
      >
        {prefs.isPending ? (
          <Loading className="p-5" />
        ) : prefs.isError ? (
          <div className="p-5">
            <ErrorAlert error={prefs.error} />
          </div>
        ) : (
          <>
            <div className="px-5 pt-3">
              <ErrorAlert error={save.error} />
              {!prefs.data.emailConfigured && (
                <p className="text-sm text-amber-800">
                  Email is not set up on this instance yet: an admin sets SMTP.
                </p>
              )}
            </div>
            <div className="overflow-x-auto">
              <table className="stack-table w-full text-sm">
                <thead>
                  <tr className="border-b border-slate-200 text-left text-xs text-slate-500">
                    <th scope="col" className="px-5 py-2 font-medium">
                      Event
                    </th>
                    <th scope="col" className="px-3 py-2 text-center font-medium">
                      In app
                    </th>
                    <th scope="col" className="px-3 py-2 text-center font-medium">
                      Email
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {prefs.data.items.map((p) => (
                    <tr key={p.kind}>
                      <td data-label="Event" className="px-5 py-2 text-left text-slate-800">
                        {p.label}
                      </td>
                      <td data-label="In app" className="px-3 py-2 text-center">
                        <input
                          type="checkbox"
                          aria-label={`${p.label}: in the app`}
                          className={box}
                          checked={p.inApp}
                          disabled={save.isPending}
                          onChange={(e) =>
                            save.mutate({ kind: p.kind, inApp: e.currentTarget.checked, email: p.email })
                          }
                        />
                      </td>
                      <td data-label="Email" className="px-3 py-2 text-center">
                        <input
                          type="checkbox"
                          aria-label={`${p.label}: by email`}
                          className={box}
                          checked={p.email}
                          disabled={save.isPending}
                          onChange={(e) =>
                            save.mutate({ kind: p.kind, inApp: p.inApp, email: e.currentTarget.checked })
                          }
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Card>
    </section>
  );
}
