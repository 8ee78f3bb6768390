import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminQuery, dropDatabase } from '../../../../test/db.ts';
import { migrate, readMigrations } from '../../../platform/db/migrate.ts';
import { createPool, type Db, withDatabase } from '../../../platform/db/pool.ts';
import type { Actor } from '../../../platform/http/actor.ts';
import { getConversation } from '../../llm/index.ts';
import { listSnapshots } from '../list-snapshots.ts';

/**
 * Migration 0043 on a database that already holds Studio chats the old way (the turn's words in
 * blueprint_snapshots.message/reply): every turn becomes messages of its Blueprint's conversation,
 * in order, linked from its snapshot; an LLM reply links to the call that wrote it; an edit's note
 * and a Blueprint without a chat are left alone; and the API reads the result.
 */

const name = `orchard_mig43_${randomBytes(4).toString('hex')}`;
const url = withDatabase(inject('pgAdminUrl'), name);
let db: Db;

const ids = {
  owner: randomUUID(),
  project: randomUUID(),
  chatty: randomUUID(),
  quiet: randomUUID(),
  llmTurn: randomUUID(),
  failedTurn: randomUUID(),
  call: randomUUID(),
  failedCall: randomUUID(),
};
const at = (minute: number) => new Date(Date.UTC(2025, 0, 2, 10, minute)).toISOString();
const doc = { feature: 'Gallery' };

beforeAll(async () => {
  await adminQuery(inject('pgAdminUrl'), `CREATE DATABASE ${name}`);
  db = createPool(url, { max: 2 });
  const all = await readMigrations();
  await migrate(
    db,
    all.filter((m) => m.name < '0043'),
  );
  await db.query(
    `INSERT INTO users (id, username, email, role) VALUES ($1, 'olga', 'olga@example.test', 'member')`,
    [ids.owner],
  );
  await db.query(`INSERT INTO projects (id, slug, name, created_by) VALUES ($1, 'gallery', 'Gallery', $2)`, [
    ids.project,
    ids.owner,
  ]);
  await db.query(`INSERT INTO project_members (project_id, user_id, role) VALUES ($1, $2, 'owner')`, [
    ids.project,
    ids.owner,
  ]);
  for (const [id, title] of [
    [ids.chatty, 'Gallery'],
    [ids.quiet, 'Quiet'],
  ])
    await db.query(
      `INSERT INTO blueprints (id, project_id, title, document, version, created_by, updated_at)
       VALUES ($1, $2, $3, $4, 6, $5, '2025-01-01T00:00:00Z')`,
      [id, ids.project, title, JSON.stringify(doc), ids.owner],
    );
  const snapshot = (
    blueprint: string,
    version: number,
    kind: string,
    message: string | null,
    reply: string | null,
    operation: string | null = null,
  ) =>
    db.query(
      `INSERT INTO blueprint_snapshots (blueprint_id, version, kind, message, reply, document, actor_id, actor_name, operation_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'olga', $8, $9)`,
      [blueprint, version, kind, message, reply, JSON.stringify(doc), ids.owner, operation, at(version)],
    );
  await snapshot(
    ids.chatty,
    1,
    'autopilot',
    'a photo gallery with likes',
    'Drafted from your prompt; every guess is listed under assumptions.',
  );
  await snapshot(ids.chatty, 2, 'chat', 'add entity Like with count:int', 'Added the entity Like.');
  await snapshot(ids.chatty, 3, 'edit', 'From the design reference example.com', null);
  await snapshot(ids.chatty, 4, 'chat', 'photos need a caption', 'I added a caption to Photo.', ids.llmTurn);
  await snapshot(
    ids.chatty,
    5,
    'chat',
    'make it sparkle',
    'Sorry, I could not turn that into a valid change. The Architect is unavailable: down. The Blueprint is unchanged; try rephrasing.',
    ids.failedTurn,
  );
  await snapshot(ids.chatty, 6, 'edit', null, null);
  await snapshot(ids.quiet, 1, 'create', null, null);
  // The LLM turn's calls: the first model was overloaded, the fallback answered.
  const call = (
    callId: string,
    attempt: number,
    provider: string,
    model: string,
    outcome: string,
    op: string,
  ) =>
    db.query(
      `INSERT INTO llm_calls (call_id, attempt, retry_index, provider, model, alias, outcome, duration_ms, operation_id, project_id, started_at)
       VALUES ($1, $2, 0, $3, $4, 'architect', $5, 100, $6, $7, $8)`,
      [callId, attempt, provider, model, outcome, op, ids.project, at(attempt)],
    );
  await call(ids.call, 1, 'gemini', 'gemini-2.5-pro', 'error', ids.llmTurn);
  await call(ids.call, 2, 'anthropic', 'claude-sonnet-4-5', 'ok', ids.llmTurn);
  await call(ids.failedCall, 1, 'anthropic', 'claude-sonnet-4-5', 'error', ids.failedTurn);
  await migrate(db);
}, 120_000);

afterAll(async () => {
  await db?.end();
  await dropDatabase(inject('pgAdminUrl'), name);
});

const olga: Actor = { userId: ids.owner, username: 'olga', role: 'member', via: 'token', scopes: ['read'] };

describe('migration 0043: the Studio chat moves into conversations', () => {
  it('gives a Blueprint with a chat one conversation holding every turn in order, and leaves a quiet one without', async () => {
    const { rows } = await db.query<{ id: string; conversation_id: string | null; updated_at: Date }>(
      'SELECT id, conversation_id, updated_at FROM blueprints ORDER BY title',
    );
    const chatty = rows.find((r) => r.id === ids.chatty)!;
    expect(chatty.conversation_id).not.toBeNull();
    expect(rows.find((r) => r.id === ids.quiet)!.conversation_id).toBeNull();
    // Linking the conversation is not an edit of the Blueprint.
    expect(chatty.updated_at.toISOString()).toBe('2025-01-01T00:00:00.000Z');

    const conversation = await getConversation(db, olga, chatty.conversation_id!);
    expect(conversation).toMatchObject({
      title: 'Gallery',
      projectId: ids.project,
      project: { slug: 'gallery', name: 'Gallery' },
      ownerId: ids.owner,
      createdAt: at(1),
      updatedAt: at(5),
    });
    expect(conversation.messages.map((m) => [m.role, m.content, m.data.version, m.createdAt])).toEqual([
      ['user', 'a photo gallery with likes', 1, at(1)],
      ['assistant', 'Drafted from your prompt; every guess is listed under assumptions.', 1, at(1)],
      ['user', 'add entity Like with count:int', 2, at(2)],
      ['assistant', 'Added the entity Like.', 2, at(2)],
      ['user', 'photos need a caption', 4, at(4)],
      ['assistant', 'I added a caption to Photo.', 4, at(4)],
      ['user', 'make it sparkle', 5, at(5)],
      ['assistant', expect.stringMatching(/^Sorry, I could not/), 5, at(5)],
    ]);
    expect(conversation.messages.every((m) => m.data.blueprintId === ids.chatty)).toBe(true);
  });

  it('says who wrote each reply: rules without an operation, the answering call (with its fallback) with one', async () => {
    const { rows } = await db.query('SELECT conversation_id FROM blueprints WHERE id = $1', [ids.chatty]);
    const replies = (await getConversation(db, olga, rows[0].conversation_id)).messages.filter(
      (m) => m.role === 'assistant',
    );
    expect(replies.map((m) => [m.llmCallId, m.answeredBy])).toEqual([
      [null, { kind: 'rules' }],
      [null, { kind: 'rules' }],
      [
        ids.call,
        {
          kind: 'model',
          alias: 'architect',
          provider: 'anthropic',
          model: 'claude-sonnet-4-5',
          fallbackFrom: 'gemini/gemini-2.5-pro',
          failed: false,
        },
      ],
      [
        ids.failedCall,
        expect.objectContaining({ kind: 'model', provider: 'anthropic', fallbackFrom: null, failed: true }),
      ],
    ]);
  });

  it('keeps one copy of the words: snapshots link to the messages, and an edit keeps its note', async () => {
    const { rows } = await db.query(
      `SELECT version, kind, message, reply, message_id IS NOT NULL AS said, reply_id IS NOT NULL AS replied
       FROM blueprint_snapshots WHERE blueprint_id = $1 ORDER BY version`,
      [ids.chatty],
    );
    expect(rows.map((r) => [r.version, r.message, r.reply, r.said, r.replied])).toEqual([
      [1, null, null, true, true],
      [2, null, null, true, true],
      [3, 'From the design reference example.com', null, false, false],
      [4, null, null, true, true],
      [5, null, null, true, true],
      [6, null, null, false, false],
    ]);
    // The Studio's history reads the same words back through the links.
    const page = await listSnapshots(db, olga, ids.chatty, { limit: 50 });
    expect(page.items.map((s) => [s.version, s.message, s.reply, s.answeredBy?.kind ?? null])).toEqual([
      [
        1,
        'a photo gallery with likes',
        'Drafted from your prompt; every guess is listed under assumptions.',
        'rules',
      ],
      [2, 'add entity Like with count:int', 'Added the entity Like.', 'rules'],
      [3, 'From the design reference example.com', null, null],
      [4, 'photos need a caption', 'I added a caption to Photo.', 'model'],
      [5, 'make it sparkle', expect.stringMatching(/^Sorry/), 'model'],
      [6, null, null, null],
    ]);
  });
});
