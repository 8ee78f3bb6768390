import { z } from 'zod';
import type { RequestContext } from '../../../platform/context.ts';
import { type Queryable, withTransaction } from '../../../platform/db/pool.ts';
import { ForbiddenError } from '../../../platform/errors.ts';
import { requireUndelegated } from '../../../platform/http/delegated-actor.ts';
import { recordAudit } from '../../identity/index.ts';
import type { NotifyDeps } from '../deps.ts';
import {
  deleteSmtpRow,
  findSmtpRow,
  SMTP_PASSWORD_AAD,
  sealedPassword,
  upsertSmtpRow,
} from './smtp-store.ts';

/** What a mail goes out with: the admin's settings, else the config file's, else none. */
export interface SmtpSettings {
  source: 'admin' | 'config';
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
}

export const SmtpBody = z.object({
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean(),
  user: z.string().trim().min(1).max(255).nullable().default(null),
  /** Omitted: the stored password stays; null: none. Never returned. */
  password: z.string().min(1).max(1000).nullable().optional(),
  from: z.string().trim().min(3).max(320).regex(/@/, 'must be an email address, e.g. orchard@example.com'),
});
export type SmtpBody = z.infer<typeof SmtpBody>;

export const SmtpView = z.object({
  source: z.enum(['admin', 'config', 'none']),
  host: z.string().nullable(),
  port: z.number().nullable(),
  secure: z.boolean(),
  user: z.string().nullable(),
  passwordSet: z.boolean(),
  from: z.string().nullable(),
});
export type SmtpView = z.infer<typeof SmtpView>;

/** The settings in force, the password left sealed until `openPassword` is called. */
async function inForce(res: NotifyDeps, db: Queryable) {
  const row = await findSmtpRow(db);
  if (row) {
    const sealed = sealedPassword(row);
    return {
      source: 'admin' as const,
      host: row.host,
      port: row.port,
      secure: row.secure,
      user: row.username,
      from: row.from_address,
      passwordSet: sealed !== null,
      openPassword: () => (sealed ? res.vault.open(sealed, SMTP_PASSWORD_AAD) : null),
    };
  }
  const c = res.config.smtp;
  if (!c) return undefined;
  return {
    source: 'config' as const,
    host: c.host,
    port: c.port,
    secure: c.secure,
    user: c.user ?? null,
    from: c.from,
    passwordSet: c.password !== undefined && c.password !== null,
    openPassword: () => c.password ?? null,
  };
}

/** The settings in force, password opened (for sending only; never for a response). */
export async function currentSmtp(
  res: NotifyDeps,
  db: Queryable = res.db,
): Promise<SmtpSettings | undefined> {
  const s = await inForce(res, db);
  if (!s) return undefined;
  const { passwordSet: _, openPassword, ...settings } = s;
  return { ...settings, password: openPassword() };
}

/** What admins see: the settings in force, the password neither opened nor returned. */
export async function getSmtpSettings(res: NotifyDeps): Promise<SmtpView> {
  const s = await inForce(res, res.db);
  if (!s)
    return {
      source: 'none',
      host: null,
      port: null,
      secure: false,
      user: null,
      passwordSet: false,
      from: null,
    };
  const { openPassword: _, ...view } = s;
  return view;
}

/** Whether email can go out at all (admin's settings or the config file's), the password left sealed. */
export async function emailConfigured(res: NotifyDeps): Promise<boolean> {
  return (await findSmtpRow(res.db)) !== undefined || Boolean(res.config.smtp);
}

function requireAdmin(ctx: RequestContext) {
  requireUndelegated(ctx.actor, 'Agent tokens cannot change email settings');
  if (ctx.actor.role !== 'admin') throw new ForbiddenError('Only instance admins may change email settings.');
}

/** Admins: the instance's SMTP settings, overriding the config file's; the password sealed. */
export async function setSmtpSettings(
  res: NotifyDeps,
  ctx: RequestContext,
  input: SmtpBody,
): Promise<SmtpView> {
  requireAdmin(ctx);
  await withTransaction(res.db, async (tx) => {
    const existing = await findSmtpRow(tx, true);
    const sealed =
      input.password === undefined
        ? existing
          ? sealedPassword(existing)
          : null
        : input.password === null
          ? null
          : res.vault.seal(input.password, SMTP_PASSWORD_AAD);
    await upsertSmtpRow(tx, {
      host: input.host,
      port: input.port,
      secure: input.secure,
      username: input.user,
      sealed,
      from: input.from,
      by: ctx.actor.userId,
      at: res.clock.now(),
    });
    await recordAudit(tx, ctx, {
      action: 'smtp_settings.update',
      target: { type: 'smtp_settings' },
      data: {
        host: input.host,
        port: input.port,
        secure: input.secure,
        user: input.user,
        from: input.from,
        passwordChanged: input.password !== undefined,
      },
    });
  });
  return getSmtpSettings(res);
}

/** Admins: drop the override; the config file's settings (if any) apply again. */
export async function resetSmtpSettings(res: NotifyDeps, ctx: RequestContext): Promise<SmtpView> {
  requireAdmin(ctx);
  await withTransaction(res.db, async (tx) => {
    const removed = await deleteSmtpRow(tx);
    await recordAudit(tx, ctx, {
      action: 'smtp_settings.reset',
      target: { type: 'smtp_settings' },
      data: { removed },
    });
  });
  return getSmtpSettings(res);
}
