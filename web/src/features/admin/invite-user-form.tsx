import { type FormEvent, useId } from 'react';
import type { Invitation, Role } from '../../api/admin-types.ts';
import { ApiError } from '../../api/client.ts';
import { FormError } from '../../widgets/alert.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { selectClass, TextField } from '../../widgets/field.tsx';
import { useInvite } from './admin-queries.ts';

/** Invite a person: their account is made without a password, and a link lets them set one. */
export function InviteUserForm({ onInvited }: { onInvited: (invitation: Invitation) => void }) {
  const invite = useInvite();
  const roleId = useId();
  const errors = invite.error instanceof ApiError ? invite.error.fieldErrors() : {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    invite.mutate(
      {
        username: String(form.get('username') ?? '').trim(),
        email: String(form.get('email') ?? '').trim(),
        role: String(form.get('role')) as Role,
      },
      {
        onSuccess: (invitation) => {
          formElement.reset();
          onInvited(invitation);
        },
      },
    );
  }

  return (
    <Card
      title="Invite someone"
      description="They get an account without a password and a link, valid 7 days, to choose one. Orchard sends no email: copy the link and send it yourself."
    >
      <form onSubmit={submit} className="space-y-4" aria-label="Invite someone">
        <FormError error={invite.error} />
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
          <TextField
            label="Username"
            name="username"
            required
            maxLength={39}
            autoComplete="off"
            error={errors.username}
          />
          <TextField
            label="Email"
            name="email"
            type="email"
            required
            autoComplete="off"
            error={errors.email}
          />
          <div className="space-y-1.5">
            <label htmlFor={roleId} className="block text-sm font-medium text-slate-800">
              Role
            </label>
            <select id={roleId} name="role" defaultValue="member" className={selectClass}>
              <option value="member">member</option>
              <option value="admin">admin</option>
            </select>
          </div>
        </div>
        <Button type="submit" busy={invite.isPending}>
          Invite
        </Button>
      </form>
    </Card>
  );
}
