import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['user']>>;
let member: Awaited<ReturnType<TestApp['user']>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.user('admin');
  member = await t.user('member');
  for (const [name, slug] of [
    ['Search 100% orchard', 'search-percent'],
    ['=HYPERLINK("http://evil.test")', 'formula'],
    ['Plain project', 'plain'],
  ])
    await t.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(member.token),
      payload: { name, slug },
    });
});
afterAll(async () => t?.close());

const get = (url: string) => t.http.inject({ url, headers: bearer(admin.token) });
const actions = async (query: string) =>
  ((await get(`/api/audit?${query}`)).json().items as Array<{ action: string; data: { name?: string } }>).map(
    (e) => e.data.name ?? e.action,
  );

describe('searching the audit log', () => {
  it('finds words anywhere in the action, actor, target and details, every word, ignoring case', async () => {
    expect(await actions('q=plain')).toEqual(['Plain project']);
    expect(await actions('q=PLAIN%20PROJECT')).toEqual(['Plain project']);
    expect(await actions(`q=plain%20${admin.user.username}`)).toEqual([]);
    expect(await actions(`q=project.create&actor=${member.user.username}`)).toHaveLength(3);
  });

  it('takes % and _ literally and never lets the search reach the SQL', async () => {
    expect(await actions('q=100%25')).toEqual(['Search 100% orchard']);
    expect(await actions('q=%25')).toEqual(['Search 100% orchard']);
    expect(await actions('q=_')).toEqual([]);
    expect(await actions(`q=${encodeURIComponent("' OR 1=1 --")}`)).toEqual([]);
    const long = await get(`/api/audit?q=${'x'.repeat(201)}`);
    expect(long.statusCode).toBe(400);
  });
});

describe('the CSV export', () => {
  it('streams the filtered log as an attachment, escaped, formulas made inert', async () => {
    const res = await get(`/api/audit/export?actor=${member.user.username}&action=project.create`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="orchard-audit-\d{4}-\d\d-\d\dT\d{6}Z\.csv"$/,
    );
    const lines = res.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      '"id","at","actor","on_behalf_of","action","target_type","target_id","project_id","request_id","ip","details"',
    );
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(1))
      expect(line).toContain(`"${member.user.username}","","project.create"`);
    // The project named like a formula is in the details (JSON), quoted and escaped; a cell that
    // starts with "=" is prefixed with a quote.
    expect(res.body).toContain('""name"":""=HYPERLINK(\\""http://evil.test\\"")""');

    const searched = await get('/api/audit/export?q=plain');
    expect(searched.body.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(
      (await t.http.inject({ url: '/api/audit/export', headers: bearer(member.token) })).statusCode,
    ).toBe(403);
  });

  it('prefixes a cell that starts like a formula', async () => {
    await t.res.db.query(
      `INSERT INTO audit_log (actor_name, action, target_type, target_id) VALUES ('=cmd|calc', 'x.test', 'y', '+1')`,
    );
    const res = await get('/api/audit/export?action=x.test');
    expect(res.body).toContain(`"'=cmd|calc","","x.test","y","'+1"`);
  });
});
