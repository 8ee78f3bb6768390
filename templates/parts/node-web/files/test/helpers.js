// Test helpers (no tests here): start the app in-process on a free port with its own data directory.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../lib/app.js';

export async function startTestServer({ dataDir } = {}) {
  const dir = dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'app-test-')));
  const app = await createApp({ dataDir: dir });
  await new Promise((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${app.server.address().port}`;

  async function request(method, url, { json, form } = {}) {
    const headers = {};
    let body;
    if (json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(base + url, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    const isJson = (res.headers.get('content-type') ?? '').includes('application/json');
    return { status: res.status, headers: res.headers, text, body: isJson && text ? JSON.parse(text) : text };
  }

  return {
    base,
    dataDir: dir,
    /** A JSON request: `api('POST', '/api/photos', { title: 'x' })`. */
    api: (method, url, json) => request(method, url, json === undefined ? {} : { json }),
    /** An HTML form post, as a browser sends it. */
    post: (url, form) => request('POST', url, { form }),
    get: (url) => request('GET', url),
    async close({ keepData = false } = {}) {
      await app.close();
      if (!keepData && !dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
