import type { Resources } from '../../platform/resources.ts';
import type { Registry } from '../operations/index.ts';
import type { Vault } from '../secrets/index.ts';

/** What webhooks need from the composition root: the vault (secrets) and the operations registry (deliveries). */
export type NotifyDeps = Resources & { vault: Vault; registry: Registry };
