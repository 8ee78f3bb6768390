/** The secrets module's public face. */

export { createMasker, MASK, maskingTransform, StreamMasker } from './mask.ts';
export { loadMasterKey } from './master-key.ts';
export { putSecret } from './put-secret.ts';
export { revealSecrets } from './reveal-secrets.ts';
export { secretRoutes } from './routes.ts';
export { secretForms } from './secret-forms.ts';
export { Vault } from './vault.ts';
