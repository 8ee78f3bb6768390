import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { SmtpBody, SmtpSettings } from '../../api/notification-types.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { TextField } from '../../widgets/field.tsx';
import { Loading } from '../../widgets/spinner.tsx';

/** Admins: the SMTP server email notifications go out through (overrides the config file's). */
export function SmtpCard() {
  const client = useQueryClient();
  const settings = useQuery({
    queryKey: keys.smtpSettings,
    queryFn: () => api.get<SmtpSettings>('/api/admin/smtp'),
  });
  const [form, setForm] = useState({
    host: '',
    port: '587',
    secure: false,
    user: '',
    password: '',
    from: '',
  });
  useEffect(() => {
    const s = settings.data;
    if (s)
      setForm({
        host: s.host ?? '',
        port: String(s.port ?? 587),
        secure: s.secure,
        user: s.user ?? '',
        password: '',
        from: s.from ?? '',
      });
  }, [settings.data]);
  const done = (answer: SmtpSettings) => client.setQueryData(keys.smtpSettings, answer);
  const save = useMutation({
    mutationFn: () =>
      api.put<SmtpSettings>('/api/admin/smtp', {
        host: form.host,
        port: Number(form.port),
        secure: form.secure,
        user: form.user || null,
        // Empty: the stored password stays.
        ...(form.password ? { password: form.password } : {}),
        from: form.from,
      } satisfies SmtpBody),
    onSuccess: done,
  });
  const reset = useMutation({
    mutationFn: () => api.delete<SmtpSettings>('/api/admin/smtp'),
    onSuccess: done,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const set = (key: keyof typeof form) => (e: { currentTarget: HTMLInputElement }) =>
    setForm({ ...form, [key]: key === 'secure' ? e.currentTarget.checked : e.currentTarget.value });

  return (
    <Card
      title="Email (SMTP)"
      description={
        settings.data?.source === 'config'
          ? 'From the config file; saving here overrides it.'
          : settings.data?.source === 'admin'
            ? 'Set here; resetting goes back to the config file.'
            : 'Not set up: notifications go out in the app only.'
      }
    >
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorAlert error={settings.error} />
      ) : (
        <form onSubmit={submit} className="grid gap-3 sm:grid-cols-2">
          <div className="sm:col-span-2">
            <ErrorAlert error={save.error ?? reset.error} />
          </div>
          <TextField label="Host" value={form.host} onChange={set('host')} required />
          <TextField label="Port" type="number" value={form.port} onChange={set('port')} required />
          <TextField label="User" value={form.user} onChange={set('user')} optional />
          <TextField
            label="Password"
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
            hint={settings.data.passwordSet ? 'Set; leave empty to keep it.' : undefined}
            optional
          />
          <TextField
            label="From"
            value={form.from}
            onChange={set('from')}
            placeholder="Orchard <orchard@example.com>"
            required
          />
          <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={form.secure}
              onChange={set('secure')}
              className="size-4 accent-emerald-700"
            />
            TLS from the start (port 465)
          </label>
          <div className="flex gap-2 sm:col-span-2">
            <Button type="submit" busy={save.isPending}>
              Save
            </Button>
            {settings.data.source === 'admin' && (
              <Button variant="secondary" busy={reset.isPending} onClick={() => reset.mutate()}>
                Reset to config
              </Button>
            )}
          </div>
        </form>
      )}
    </Card>
  );
}
