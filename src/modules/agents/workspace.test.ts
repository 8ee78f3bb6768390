import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { SYSTEM_ACTOR } from '../../platform/http/actor.ts';
import { cancelOperation, Registry, registerCanaryJobs, startOperation } from '../operations/index.ts';
import { removeStaleWorkspaces } from './workspace.ts';

let database: TestDatabase;
let home: string;
const registry = new Registry();
registerCanaryJobs(registry);

beforeAll(async () => {
  database = await createTestDatabase();
  home = await mkdtemp(path.join(os.tmpdir(), 'orchard-workspaces-'));
});
afterAll(async () => {
  await database?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

it('removes the workspaces of ended or unknown operations and keeps queued ones and unnamed ones', async () => {
  const start = () =>
    startOperation(database.db, registry, { kind: 'system.canary', input: {}, actor: SYSTEM_ACTOR });
  // No workers run here: the first stays queued, the second is cancelled.
  const { id: queued } = await start();
  const { id: ended } = await start();
  await cancelOperation(database.db, registry, { actor: SYSTEM_ACTOR }, ended);
  const workRoot = path.join(home, 'work');
  const names = [
    `app-${queued}`,
    `app-${ended}`,
    `app-${randomUUID()}`,
    'app-0a1b2c3d4e5f',
    // An agent session's scratch directory and checkpoint index go with their workspace.
    `app-${queued}.scratch`,
    `app-${ended}.scratch`,
  ];
  for (const name of names) await mkdir(path.join(workRoot, 'agents', name), { recursive: true });
  for (const name of [names[0], names[1]])
    await writeFile(path.join(workRoot, 'agents', `.${name}.checkpoint-index`), '');

  const removed = await removeStaleWorkspaces(database.db, home, workRoot);

  expect(removed.map((dir) => path.basename(dir)).sort()).toEqual([names[1], names[2], names[5]].sort());
  expect((await readdir(path.join(workRoot, 'agents'))).sort()).toEqual(
    [names[0], names[3], names[4], `.${names[0]}.checkpoint-index`].sort(),
  );
});
