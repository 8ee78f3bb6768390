import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMasker } from '../../secrets/index.ts';
import { readTestReports } from './read-test-reports.ts';

let dir: string;
const none = (text: string) => text;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'orchard-reports-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function workspace(files: Record<string, string>): Promise<string> {
  const ws = await mkdtemp(path.join(dir, 'ws-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(ws, file)), { recursive: true });
    await writeFile(path.join(ws, file), text);
  }
  return ws;
}

const junit = (cases: string) =>
  `<testsuites><testsuite name="s" time="0.5">${cases}</testsuite></testsuites>`;

describe('readTestReports', () => {
  it('is null for a job that declares no reports', async () => {
    expect(await readTestReports({ workspace: dir, globs: { junit: [], tap: [] }, mask: none })).toBeNull();
  });

  it('merges every matching file, JUnit and TAP, and notes globs that matched nothing', async () => {
    const ws = await workspace({
      'reports/unit.xml': junit('<testcase name="a"/><testcase name="b"><failure message="no"/></testcase>'),
      'reports/api.xml': junit('<testcase name="c"><skipped/></testcase>'),
      'reports/e2e.tap': 'TAP version 14\nok 1 - d\nnot ok 2 - e\n1..2\n',
    });
    const report = await readTestReports({
      workspace: ws,
      globs: { junit: ['reports/*.xml'], tap: ['reports/*.tap', 'missing/*.tap'] },
      mask: none,
    });
    expect(report).toEqual({
      passed: 2,
      failed: 2,
      skipped: 1,
      durationMs: 1000,
      files: [
        { path: 'reports/api.xml', format: 'junit' },
        { path: 'reports/unit.xml', format: 'junit' },
        { path: 'reports/e2e.tap', format: 'tap' },
      ],
      failures: [
        expect.objectContaining({ name: 'b', message: 'no' }),
        expect.objectContaining({ name: 'e', message: null }),
      ],
      omittedFailures: 0,
      notes: [],
    });

    const nothing = await readTestReports({
      workspace: ws,
      globs: { junit: ['out/*.xml'], tap: [] },
      mask: none,
    });
    expect(nothing).toMatchObject({
      passed: 0,
      failed: 0,
      files: [],
      notes: ['No file matched out/*.xml (artifacts.reports.junit).'],
    });
  });

  it('turns malformed, hostile, oversized and non-regular files into notes, and reads the rest', async () => {
    const ws = await workspace({
      'r/1-good.xml': junit('<testcase name="ok"/>'),
      'r/2-broken.xml': '<testsuites>\n<testsuite>\n</testsuites>',
      'r/3-bomb.xml': '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<testsuite name="&a;"/>',
      'r/4-html.xml': '<html></html>',
      'secret.txt': 'outside the reports',
    });
    await writeFile(path.join(ws, 'r/5-huge.xml'), '');
    await truncate(path.join(ws, 'r/5-huge.xml'), 11 * 1024 * 1024);
    await symlink(path.join(ws, 'secret.txt'), path.join(ws, 'r/6-link.xml'));
    const report = await readTestReports({
      workspace: ws,
      globs: { junit: ['r/*.xml'], tap: [] },
      mask: none,
    });
    expect(report!.passed).toBe(1);
    expect(report!.notes).toEqual([
      'r/2-broken.xml: not a readable JUnit XML report: line 3: expected </testsuite>, found </testsuites>',
      'r/3-bomb.xml: not a readable JUnit XML report: line 2: DOCTYPE declarations are not accepted in test reports (entities are never expanded)',
      'r/4-html.xml: not a readable JUnit XML report: line 1: this is not a JUnit report: its root element is <html>, not <testsuites> or <testsuite>',
      'r/5-huge.xml: is 11.0 MiB; reports over 10 MiB are not read',
    ]);
    // A symlink is never a report (nor an artifact): the file it points at is not read.
    expect(report!.files.map((f) => f.path)).not.toContain('r/6-link.xml');
  });

  it("masks the job's secrets in everything it keeps", async () => {
    const secret = 'hunter2-very-secret';
    const ws = await workspace({
      'junit.xml': junit(
        `<testcase name="login ${secret}" classname="c"><failure message="token ${secret} refused">Authorization: Bearer ${Buffer.from(secret).toString('base64')}</failure></testcase>`,
      ),
      'broken.xml': `<testsuite><${secret}></testsuite>`,
    });
    const report = await readTestReports({
      workspace: ws,
      globs: { junit: ['*.xml'], tap: [] },
      mask: createMasker([secret]),
    });
    const text = JSON.stringify(report);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    expect(report!.failures[0]).toMatchObject({
      name: 'login ***',
      message: 'token *** refused',
      output: 'Authorization: Bearer ***',
    });
    expect(report!.notes[0]).toContain('expected </***>');
  });

  it("reads what node's own test runner writes, in both formats, to the same counts", async () => {
    const ws = await workspace({
      'package.json': '{"type":"module"}',
      'test/a.test.js': `import { describe, test } from 'node:test';
import assert from 'node:assert';
describe('cart', () => {
  test('adds', () => assert.equal(1 + 1, 2));
  test('totals', () => assert.equal(25, 30, 'total was 25, expected 30'));
  test('later', { skip: 'not yet' }, () => {});
  test('someday', { todo: true }, () => {});
});
test('top level', () => {});
`,
    });
    await mkdir(path.join(ws, 'reports'));
    const run = promisify(execFile)(
      process.execPath,
      [
        '--test',
        '--test-reporter=junit',
        '--test-reporter-destination=reports/junit.xml',
        '--test-reporter=tap',
        '--test-reporter-destination=reports/tap.txt',
      ],
      { cwd: ws },
    );
    await expect(run).rejects.toMatchObject({ code: 1 });
    const report = await readTestReports({
      workspace: ws,
      globs: { junit: ['reports/junit.xml'], tap: [] },
      mask: none,
    });
    const tap = await readTestReports({
      workspace: ws,
      globs: { junit: [], tap: ['reports/tap.txt'] },
      mask: none,
    });
    for (const r of [report!, tap!]) {
      expect(r).toMatchObject({ passed: 2, failed: 1, skipped: 2, notes: [] });
      expect(r.durationMs).toBeGreaterThan(0);
      expect(r.failures).toEqual([
        expect.objectContaining({ name: 'totals', suite: 'cart', message: 'total was 25, expected 30' }),
      ]);
    }
  });
});
