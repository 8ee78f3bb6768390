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

test('unknown API paths answer a JSON 404 and pages an HTML 404', async () => {
  const api = await app.get('/api/nothing-here');
  assert.equal(api.status, 404);
  assert.match(api.body.error, /nothing at \/api\/nothing-here/);
  const page = await app.get('/nothing-here');
  assert.equal(page.status, 404);
  assert.match(page.headers.get('content-type'), /text\/html/);
});

test('the stylesheets with the design tokens are served', async () => {
  const theme = await app.get('/assets/theme.css');
  assert.equal(theme.status, 200);
  assert.match(theme.text, /--color-primary:/);
  assert.equal((await app.get('/assets/../server.js')).status, 404);
});

test("pages load the script that tells Orchard's preview pane which page is open", async () => {
  const page = await app.get('/nothing-here');
  assert.match(page.text, /<script src="\/assets\/orchard-preview\.js" defer><\/script>/);
  const script = await app.get('/assets/orchard-preview.js');
  assert.equal(script.status, 200);
  assert.match(script.headers.get('content-type'), /text\/javascript/);
  assert.match(script.text, /postMessage\(\{ type: 'orchard:preview-location'/);
});
