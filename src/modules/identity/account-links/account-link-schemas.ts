import { z } from 'zod';
import { Email, Password, Role, Username, UserView } from '../schemas.ts';

export const InviteUserBody = z.object({ username: Username, email: Email, role: Role.default('member') });
export type InviteUserBody = z.infer<typeof InviteUserBody>;

export const AccountLinkPurpose = z.enum(['invite', 'reset']);
export const CreateAccountLinkBody = z.object({
  /** `invite`: a new invitation for someone who never set a password; `reset`: a password reset. */
  purpose: AccountLinkPurpose,
});

/** A link as the admin gets it, once: its secret is in `path` and `url`, and is never shown again. */
export const AccountLinkView = z.object({
  purpose: AccountLinkPurpose,
  /** The UI page, e.g. `/invite/<secret>`. */
  path: z.string(),
  /** The same at Orchard's address (`publicUrl`, else the address the request came to). */
  url: z.string(),
  expiresAt: z.string(),
});
export const InvitationView = z.object({ user: UserView, link: AccountLinkView });
export const AccountLinkResultView = InvitationView.extend({
  /** Sessions of the person that a reset ended (0 for an invitation). */
  sessionsEnded: z.number().int(),
});

/** The secret of a link, in a body (never in an API URL, where it would be logged). */
const LinkSecret = z
  .string()
  .regex(/^[A-Za-z0-9_-]{20,200}$/, 'must be the secret at the end of the link you were given');
export const LookupAccountLinkBody = z.object({ token: LinkSecret });
export const AccountLinkLookupView = z.object({
  purpose: AccountLinkPurpose,
  username: z.string(),
  expiresAt: z.string(),
});
export const AcceptAccountLinkBody = z.object({ token: LinkSecret, password: Password });
