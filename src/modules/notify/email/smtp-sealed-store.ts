import type { SealedStore } from '../../secrets/index.ts';
import {
  countSmtpPasswordsByKey,
  findSmtpRow,
  replaceSmtpPasswordSeal,
  SMTP_PASSWORD_AAD,
  sealedPassword,
} from './smtp-store.ts';

/** The admin's SMTP password (`smtp_settings.password_*`, one row), sealed with AAD `smtp/password`. */
export const smtpPasswordStore: SealedStore = {
  name: 'smtp.password',
  table: 'smtp_settings',
  countByKey: countSmtpPasswordsByKey,
  async lockBatch(tx, query) {
    // One row, keyed "smtp": a batch after it is empty.
    if (query.after !== null) return [];
    const row = await findSmtpRow(tx, true);
    const sealed = row && sealedPassword(row);
    if (!sealed || sealed.keyId === query.notKeyId) return [];
    return [{ id: 'smtp', sealed, aad: SMTP_PASSWORD_AAD }];
  },
  replace: (tx, _id, sealed) => replaceSmtpPasswordSeal(tx, sealed),
};
