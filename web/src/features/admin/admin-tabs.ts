import type { ComponentType } from 'react';
import { ErrorsPanel } from '../errors/errors-panel.tsx';
import { AdminDelegationsCard } from '../principals/admin-delegations-card.tsx';
import { ServiceAccountsCard } from '../principals/service-accounts-card.tsx';
import { AuditPanel } from './audit-panel.tsx';
import { BackupsPanel } from './backups-panel.tsx';
import { InstancePanel } from './instance-panel.tsx';
import { LlmPanel } from './llm-panel.tsx';
import { TokensPanel } from './tokens-panel.tsx';
import { UsersPanel } from './users-panel.tsx';

export type AdminTab =
  | 'users'
  | 'service-accounts'
  | 'tokens'
  | 'delegations'
  | 'audit'
  | 'llm'
  | 'instance'
  | 'backups'
  | 'errors';

/**
 * The admin panel's tabs, in order; the first is the default. A new tab is one entry here and a
 * panel component of its own.
 */
export const ADMIN_TABS: ReadonlyArray<{ key: AdminTab; label: string; Panel: ComponentType }> = [
  { key: 'users', label: 'Users', Panel: UsersPanel },
  { key: 'service-accounts', label: 'Service accounts', Panel: ServiceAccountsCard },
  { key: 'tokens', label: 'Tokens', Panel: TokensPanel },
  { key: 'delegations', label: 'Delegations', Panel: AdminDelegationsCard },
  { key: 'audit', label: 'Audit log', Panel: AuditPanel },
  { key: 'errors', label: 'Errors', Panel: ErrorsPanel },
  { key: 'llm', label: 'LLM', Panel: LlmPanel },
  { key: 'instance', label: 'Instance', Panel: InstancePanel },
  { key: 'backups', label: 'Backups', Panel: BackupsPanel },
];
