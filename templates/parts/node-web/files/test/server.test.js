import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

test('node server.js listens on PORT, answers /health and exits cleanly on SIGTERM', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'server-test-'));
  const child = spawn(process.execPath, ['server.js'], {
    cwd: new URL('..', import.meta.url),
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
        const found = /Listening on (http:\/\/\S+)/.exec(output);
        if (found) resolve(found[1]);
      });
      child.on('exit', (code) => reject(new Error(`server exited early with ${code}: ${output}`)));
    });
    const res = await fetch(`${url}/health`);
    assert.equal(res.status, 200);
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.kill('SIGTERM');
    assert.deepEqual(await exited, { code: 0, signal: null });
  } finally {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
});
