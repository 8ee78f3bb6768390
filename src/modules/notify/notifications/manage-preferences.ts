import type { RequestContext } from '../../../platform/context.ts';
import { withTransaction } from '../../../platform/db/pool.ts';
import { recordAudit } from '../../identity/index.ts';
import type { NotifyDeps } from '../deps.ts';
import { emailConfigured } from '../email/smtp-settings.ts';
import { KIND_INFO } from './kinds.ts';
import { upsertPreference } from './notification-store.ts';
import { allPreferencesOf } from './preferences.ts';
import type { PreferencesBody, PreferencesView } from './schemas.ts';

/** The actor's choices for every kind and channel (defaults where they have not chosen). */
export async function getPreferences(res: NotifyDeps, ctx: RequestContext): Promise<PreferencesView> {
  const items = (await allPreferencesOf(res.db, ctx.actor.userId)).map((p) => ({
    ...p,
    label: KIND_INFO[p.kind].label,
    webhookEvent: KIND_INFO[p.kind].webhookEvent,
  }));
  return { items, emailConfigured: await emailConfigured(res) };
}

/** Changes the actor's choices for the kinds named; the others keep theirs. */
export async function setPreferences(
  res: NotifyDeps,
  ctx: RequestContext,
  input: PreferencesBody,
): Promise<PreferencesView> {
  await withTransaction(res.db, async (tx) => {
    for (const item of input.items)
      await upsertPreference(tx, { userId: ctx.actor.userId, ...item, at: res.clock.now() });
    await recordAudit(tx, ctx, {
      action: 'notification_preferences.update',
      target: { type: 'user', id: ctx.actor.userId },
      data: { items: input.items },
    });
  });
  return getPreferences(res, ctx);
}
