import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { createProjectAs, listenApp } from '../../../../test/git.ts';
import { until } from '../../../../test/support/until.ts';
import { ensureIngestToken } from '../ingest/ingest-tokens.ts';
import { insertEnvironment } from '../telemetry.test-support.ts';

/**
 * A new error group is news, once: an app's exception that arrives through the OTLP ingest tells
 * the project's developers, and Orchard's own error tells the instance's admins. Repeats merge into
 * the group and tell nobody again.
 */

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  base = await listenApp(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const newErrors = async (token: string) =>
  (
    (await t.http.inject({ method: 'GET', url: '/api/me/notifications', headers: bearer(token) })).json()
      .items as Array<{ kind: string; title: string; link: string }>
  ).filter((n) => n.kind === 'error_group_new');

/** One exception log record, as the generated apps' server sends a page's error (OTLP/JSON). */
async function exceptionLog(token: string, line: number) {
  const nanos = String(BigInt(Date.now()) * 1_000_000n);
  const response = await fetch(`${base}/otlp/v1/logs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: nanos,
                  severityNumber: 17,
                  body: { stringValue: 'TypeError: cart is undefined' },
                  attributes: [
                    { key: 'exception.type', value: { stringValue: 'TypeError' } },
                    { key: 'exception.message', value: { stringValue: 'cart is undefined' } },
                    {
                      key: 'exception.stacktrace',
                      value: {
                        stringValue: `TypeError: cart is undefined\n    at checkout (http://shop.example/app.js:${line}:7)\n    at onclick (http://shop.example/app.js:9:3)`,
                      },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    }),
  });
  expect(response.status).toBe(200);
}

it("tells a project's developers of an app's new error once, however often it repeats", async () => {
  const owner = await t.user('member');
  await createProjectAs(t, owner.token, 'erring');
  const projectId = (
    await t.http.inject({ method: 'GET', url: '/api/projects/erring', headers: bearer(owner.token) })
  ).json().id as string;
  const environmentId = await insertEnvironment(t.res.db, projectId, 'staging');
  const token = await ensureIngestToken(t.res, { environmentId, projectId });

  await exceptionLog(token, 41);
  const [news] = await until(
    async () => {
      const found = await newErrors(owner.token);
      return found.length ? found : undefined;
    },
    15_000,
    'the new error notification',
  );
  expect(news!.title).toBe('New error on erring staging: TypeError: cart is undefined');
  expect(news!.link).toMatch(/^\/projects\/erring\/environments\/staging\/errors\/[0-9a-f-]{36}$/);

  // The same error from another line of the same function is the same group: nobody is told again.
  await exceptionLog(token, 57);
  const groupId = news!.link.split('/').at(-1)!;
  await until(
    async () =>
      (await t.res.db.query<{ count: number }>('SELECT count FROM error_groups WHERE id = $1', [groupId]))
        .rows[0]?.count === 2,
    15_000,
    'the repeat counted in the group',
  );
  expect(await newErrors(owner.token)).toHaveLength(1);
});

it("tells the instance's admins of Orchard's own new error, and not its members", async () => {
  const admin = await t.user('admin');
  const member = await t.user('member');
  t.res.errors.reporter.report(new RangeError('the queue index went negative'), {});
  const [news] = await until(
    async () => {
      const found = await newErrors(admin.token);
      return found.length ? found : undefined;
    },
    15_000,
    "the admin's notification",
  );
  expect(news).toMatchObject({
    title: 'New error in Orchard: RangeError: the queue index went negative',
    link: '/admin?tab=errors',
  });
  expect(await newErrors(member.token)).toEqual([]);
});
