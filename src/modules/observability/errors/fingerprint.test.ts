import { describe, expect, it } from 'vitest';
import { fingerprint, maskMessage } from './fingerprint.ts';
import { parseStack } from './stack-frames.ts';

// Real errors thrown here: the same function throws from two different lines.
function loadUser(id: number): never {
  if (id === 1) throw new TypeError(`Cannot read properties of undefined (reading 'name') for user ${id}`);
  throw new TypeError(`Cannot read properties of undefined (reading 'name') for user ${id}`);
}
function saveUser(): never {
  throw new TypeError('Cannot read properties of undefined (reading name)');
}
const caught = (fn: () => void) => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
};

// Captured from Chromium 131 (a Vite build served by a deployed app), two builds of the same code:
// the bundle hash, the lines and columns and the origin differ.
const CHROMIUM_BUILD_1 = `TypeError: Cannot read properties of null (reading 'map')
    at renderList (http://staging--shop.localhost:7300/assets/index-DkLz9aQ1.js:40:18211)
    at Ql (http://staging--shop.localhost:7300/assets/index-DkLz9aQ1.js?v=3:40:48823)
    at Fo (http://staging--shop.localhost:7300/assets/vendor-BQ3x0fZa.js:38:117)
    at HTMLButtonElement.onClick (http://staging--shop.localhost:7300/assets/index-DkLz9aQ1.js:40:9120)`;
const CHROMIUM_BUILD_2 = `TypeError: Cannot read properties of null (reading 'map')
    at renderList (https://shop.example.com/assets/index-C8mQpL2v.js:41:20001)
    at Ql (https://shop.example.com/assets/index-C8mQpL2v.js:41:50210)
    at Fo (https://shop.example.com/assets/vendor-Z9k1aBcd.js:38:990)
    at HTMLButtonElement.onClick (https://shop.example.com/assets/index-C8mQpL2v.js:41:9877)`;
const CHROMIUM_OTHER = `TypeError: Cannot read properties of null (reading 'map')
    at renderGrid (http://staging--shop.localhost:7300/assets/index-DkLz9aQ1.js:40:18211)
    at Ql (http://staging--shop.localhost:7300/assets/index-DkLz9aQ1.js:40:48823)`;

// Node 20, the same app deployed from two releases (their directories differ by commit).
const NODE_RELEASE_A = `Error: connect ECONNREFUSED 127.0.0.1:5432
    at getOrders (/home/orchard/envs/staging--shop/releases/3f2a1b9c0d/src/orders.js:14:11)
    at async Promise.all (index 0)
    at async handler (/home/orchard/envs/staging--shop/releases/3f2a1b9c0d/src/routes.js:30:5)
    at Layer.handle [as handle_request] (/home/orchard/envs/staging--shop/releases/3f2a1b9c0d/node_modules/express/lib/router/layer.js:95:5)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`;
const NODE_RELEASE_B = `Error: connect ECONNREFUSED 10.0.0.7:6543
    at getOrders (/srv/apps/shop/releases/77aa99bb11/src/orders.js:16:13)
    at async Promise.all (index 1)
    at async handler (/srv/apps/shop/releases/77aa99bb11/src/routes.js:31:5)
    at Layer.handle [as handle_request] (/srv/apps/shop/releases/77aa99bb11/node_modules/express/lib/router/layer.js:95:5)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`;

describe('parseStack', () => {
  it('reads V8 frames: function and short file, dependencies and runtime told apart', () => {
    expect(parseStack(NODE_RELEASE_A)).toEqual([
      { fn: 'getOrders', file: 'src/orders.js', kind: 'app' },
      { fn: 'Promise.all', file: 'index 0', kind: 'runtime' },
      { fn: 'handler', file: 'src/routes.js', kind: 'app' },
      { fn: 'Layer.handle', file: 'router/layer.js', kind: 'dependency' },
      { fn: 'process.processTicksAndRejections', file: 'node:internal/process/task_queues', kind: 'runtime' },
    ]);
  });

  it('drops origins, query strings and bundle hashes from browser frames', () => {
    expect(parseStack(CHROMIUM_BUILD_1).slice(0, 3)).toEqual([
      { fn: 'renderList', file: 'assets/index.js', kind: 'app' },
      { fn: 'Ql', file: 'assets/index.js', kind: 'app' },
      { fn: 'Fo', file: 'assets/vendor.js', kind: 'app' },
    ]);
  });

  it('reads Firefox and Safari frames', () => {
    const gecko =
      'renderList@http://localhost:5173/assets/index-DkLz9aQ1.js:40:18\n@http://localhost:5173/src/main.tsx:3:1';
    expect(parseStack(gecko)).toEqual([
      { fn: 'renderList', file: 'assets/index.js', kind: 'app' },
      { fn: '<anonymous>', file: 'src/main.tsx', kind: 'app' },
    ]);
  });

  it('reads a real Node stack of this file', () => {
    const frames = parseStack(caught(() => loadUser(1)).stack ?? '');
    expect(frames[0]).toEqual({ fn: 'loadUser', file: 'errors/fingerprint.test.ts', kind: 'app' });
  });
});

describe('fingerprint', () => {
  it('merges the same throw site whatever the line, the message ids and the release directory', () => {
    const a = caught(() => loadUser(1));
    const b = caught(() => loadUser(2));
    expect(a.stack).not.toBe(b.stack);
    expect(fingerprint({ type: a.name, message: a.message, stack: a.stack })).toBe(
      fingerprint({ type: b.name, message: b.message, stack: b.stack }),
    );
    expect(fingerprint({ type: 'Error', message: 'x', stack: NODE_RELEASE_A })).toBe(
      fingerprint({ type: 'Error', message: 'y', stack: NODE_RELEASE_B }),
    );
  });

  it('keeps different functions, types and browser call sites apart', () => {
    const a = caught(() => loadUser(1));
    const c = caught(saveUser);
    expect(fingerprint({ type: a.name, message: a.message, stack: a.stack })).not.toBe(
      fingerprint({ type: c.name, message: c.message, stack: c.stack }),
    );
    expect(fingerprint({ type: 'TypeError', message: '', stack: CHROMIUM_BUILD_1 })).not.toBe(
      fingerprint({ type: 'RangeError', message: '', stack: CHROMIUM_BUILD_1 }),
    );
    expect(fingerprint({ type: 'TypeError', message: '', stack: CHROMIUM_BUILD_1 })).not.toBe(
      fingerprint({ type: 'TypeError', message: '', stack: CHROMIUM_OTHER }),
    );
  });

  it('merges two builds of the same browser code', () => {
    expect(fingerprint({ type: 'TypeError', message: 'a', stack: CHROMIUM_BUILD_1 })).toBe(
      fingerprint({ type: 'TypeError', message: 'b', stack: CHROMIUM_BUILD_2 }),
    );
  });

  it('without a stack, uses the message with numbers, ids and hex masked', () => {
    const one = fingerprint({
      type: 'NotFound',
      message: 'Order 42 of 8c1e0f5a-1b2c-4d3e-9f00-aabbccddeeff not found at 0x7ffd',
    });
    const two = fingerprint({
      type: 'NotFound',
      message: 'Order 977 of 0b7a6c3d-2222-4abc-8def-001122334455 not found at 0x1a2b',
    });
    expect(one).toBe(two);
    expect(fingerprint({ type: 'NotFound', message: 'Customer 42 not found' })).not.toBe(one);
    expect(maskMessage('commit 3f2a1b9c failed after 1.5 s')).toBe('commit <hex> failed after <n> s');
  });

  it('falls back to dependency frames when no frame is the app’s, and to the message with runtime frames only', () => {
    const deps = 'Error: boom\n    at x (/a/node_modules/lib/index.js:1:1)';
    const deps2 = 'Error: boom\n    at x (/b/node_modules/lib/index.js:9:9)';
    expect(fingerprint({ type: 'Error', message: '1', stack: deps })).toBe(
      fingerprint({ type: 'Error', message: '2', stack: deps2 }),
    );
    const runtime =
      'Error: read 1\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)';
    expect(fingerprint({ type: 'Error', message: 'read 1', stack: runtime })).toBe(
      fingerprint({ type: 'Error', message: 'read 2' }),
    );
  });
});
