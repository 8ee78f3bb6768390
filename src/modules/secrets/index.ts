/** The secrets module's public face. */

export {
  decodeMasterKey,
  fixedKeyRing,
  type KeyRing,
  keyIdOf,
  type MasterKey,
  masterKeyFile,
} from './key-ring.ts';
export { createMasker, MASK, maskingTransform, StreamMasker } from './mask.ts';
export { installMasterKeyFile, installNewMasterKey, openKeyRing } from './master-key.ts';
export { MasterKeyError } from './master-key-error.ts';
export { type KeyUse, masterKeyStatus } from './master-key-status.ts';
export { putSecret } from './put-secret.ts';
export { retireMasterKey } from './retire-master-key.ts';
export { revealSecrets } from './reveal-secrets.ts';
export { type RotationProgress, type RotationReport, rotateMasterKey } from './rotate-master-key.ts';
export { secretRoutes } from './routes.ts';
export type { KeyCount, SealedStore, SealedValue } from './sealed-store.ts';
export { secretForms } from './secret-forms.ts';
export { projectSecretsStore } from './secrets-sealed-store.ts';
export { Vault } from './vault.ts';
