import { afterEach, expect, test, vi } from 'vitest';
import { request, signOut } from './client.ts';

afterEach(() => vi.unstubAllGlobals());

/** A fetch that answers only when told to, and rejects as the browser does when aborted. */
function pendingFetch() {
  const calls: string[] = [];
  const fetch = vi.fn((url: string, init: RequestInit) => {
    calls.push(url);
    return new Promise<Response>((_resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  });
  vi.stubGlobal('fetch', fetch);
  return calls;
}

test('signing out aborts the requests on their way and sends none until the logout has answered', async () => {
  const calls = pendingFetch();
  const before = request('/api/notifications');
  let answer!: () => void;
  const logout = signOut(() => new Promise<void>((resolve) => (answer = resolve)));

  await expect(before).rejects.toMatchObject({ name: 'AbortError' });
  await expect(request('/api/alerts')).rejects.toMatchObject({ name: 'AbortError' });
  expect(calls).toEqual(['/api/notifications']);

  answer();
  await logout;
  const after = request('/api/setup');
  expect(calls).toEqual(['/api/notifications', '/api/setup']);
  void after.catch(() => {});
});

test("a caller's own abort signal still aborts its request", async () => {
  pendingFetch();
  const controller = new AbortController();
  const pending = request('/api/projects', { signal: controller.signal });
  controller.abort();
  await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
});
