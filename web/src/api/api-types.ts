/** Shapes of the API's JSON answers (they mirror the zod views in each module's schemas.ts). */

export type Scope = 'read' | 'write' | 'admin';
export type ProjectRole = 'owner' | 'maintainer' | 'developer' | 'viewer';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface User {
  id: string;
  username: string;
  email: string;
  role: 'admin' | 'member';
  disabled: boolean;
  createdAt: string;
}

export interface Me {
  user: User;
  via: 'session' | 'token';
  scopes: Scope[];
  csrfToken?: string;
}

export interface SessionStart {
  user: User;
  csrfToken: string;
}

export interface SetupStatus {
  needsAdmin: boolean;
}

export interface Project {
  id: string;
  slug: string;
  name: string;
  description: string;
  archived: boolean;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  role: ProjectRole;
}

export interface Member {
  userId: string;
  username: string;
  role: ProjectRole;
  addedAt: string;
}

export interface Secret {
  name: string;
  version: number;
  /** Given only to code on a protected branch and to runs a maintainer starts. */
  protected: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

export interface CreatedToken extends ApiToken {
  token: string;
}

// Operations (the engine behind every long-running thing): views of src/modules/operations/views.ts.

export type OperationStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Operation {
  id: string;
  kind: string;
  status: OperationStatus;
  projectId: string | null;
  projectSlug: string | null;
  parentOperationId: string | null;
  actor: { id: string | null; name: string };
  traceId: string;
  cancelRequested: boolean;
  run: number;
  error: { message: string; [key: string]: unknown } | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface OperationStep {
  key: string;
  step: string;
  status: string;
  parent: string | null;
  dependsOn: string[];
  queue: string;
  attempt: number;
  maxAttempts: number;
  runAfter: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: { message: string; [key: string]: unknown } | null;
  output: unknown;
}

export interface OperationDetail extends Operation {
  input: unknown;
  output: unknown;
  steps: OperationStep[];
}

/** One row of an operation's event log (`phase`, `progress`, `log`, `artifact`, `step`, `complete`, …). */
export interface OperationEvent {
  id: number;
  operationId: string;
  step: string | null;
  type: string;
  data: Record<string, unknown>;
  at: string;
}
