import type { SealedStore } from '../secrets/index.ts';
import {
  countWebhookSecretsByKey,
  lockWebhooksNotUnder,
  replaceWebhookSecretSeal,
  sealedSecret,
  webhookSecretAad,
} from './store.ts';

/** Webhook signing secrets (`webhooks.secret_*`), sealed with AAD `webhook/<id>`. */
export const webhookSecretsStore: SealedStore = {
  name: 'webhooks.secret',
  table: 'webhooks',
  countByKey: countWebhookSecretsByKey,
  async lockBatch(tx, query) {
    return (await lockWebhooksNotUnder(tx, query)).map((row) => ({
      id: row.id,
      sealed: sealedSecret(row),
      aad: webhookSecretAad(row.id),
    }));
  },
  replace: replaceWebhookSecretSeal,
};
