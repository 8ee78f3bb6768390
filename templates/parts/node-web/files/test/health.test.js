import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer } from './helpers.js';

let app;
before(async () => {
  app = await startTestServer();
});
after(() => app.close());

test('GET /health answers ok', async () => {
  const res = await app.get('/health');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { status: 'ok' });
});

test('unknown API paths answer a JSON 404 naming the path', async () => {
  const api = await app.get('/api/nothing-here');
  assert.equal(api.status, 404);
  assert.match(api.headers.get('content-type'), /application\/json/);
  assert.match(api.body.error, /nothing at \/api\/nothing-here/);
});

test('the stylesheets with the design tokens are served, and nothing else on disk', async () => {
  const theme = await app.get('/assets/theme.css');
  assert.equal(theme.status, 200);
  assert.match(theme.text, /--color-primary:/);
  assert.equal((await app.get('/assets/../server.js')).status, 404);
  assert.equal((await app.get('/assets/%2e%2e/server.js')).status, 404);
});
