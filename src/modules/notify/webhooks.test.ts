import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/app.ts';
import {
  commitFiles,
  createProjectAs,
  gitOk,
  listenApp,
  localRepo,
  remoteUrl,
  startWorkers,
} from '../../../test/git.ts';
import { until } from '../../../test/support/until.ts';
import { deliverOnce } from './deliver.ts';
import { verifyHubSignature } from './index.ts';
import type { DeliveryView } from './schemas.ts';
import { sendWebhook } from './send-webhook.ts';
import { insertDelivery } from './store.ts';
import { assertWebhookUrl, isPrivateAddress } from './url-guard.ts';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

let t: TestApp;
let strict: TestApp;
let base: string;
let owner: Awaited<ReturnType<TestApp['user']>>;
let workers: Awaited<ReturnType<typeof startWorkers>>;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Status codes the receiver answers with, in order (then 200). */
const replies: number[] = [];
const slug = 'hooks';
const secret = 'a-very-secret-webhook-key';

beforeAll(async () => {
  t = await createTestApp({ allowPrivateWebhookTargets: true });
  strict = await createTestApp();
  base = await listenApp(t);
  workers = await startWorkers(t);
  owner = await t.user('member');
  await createProjectAs(t, owner.token, slug);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = replies.shift() ?? 200;
      res.end('thanks');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
});
afterAll(async () => {
  await workers?.stop();
  receiver?.close();
  await t?.close();
  await strict?.close();
});

const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
  t.http.inject({
    method,
    url: `/api/projects/${slug}${url}`,
    headers: bearer(owner.token),
    ...(payload ? { payload } : {}),
  });

async function deliveries(hookId: string) {
  return (await api('GET', `/webhooks/${hookId}/deliveries`)).json().items as DeliveryView[];
}

describe('webhooks', () => {
  it('delivers a signed push event the receiver can verify, retrying after a 500', async () => {
    const hook = await api('POST', '/webhooks', { url: receiverUrl, secret, events: ['push'] });
    expect(hook.statusCode).toBe(201);
    expect(JSON.stringify(hook.json())).not.toContain(secret);
    replies.push(500);
    const work = await localRepo();
    const sha = await commitFiles(work, { 'a.txt': 'a\n' }, 'hook me');
    await gitOk(['push', '-q', remoteUrl(base, slug, owner.token), 'main'], work);

    const [delivery] = await until(
      async () => {
        const items = await deliveries(hook.json().id);
        return items[0]?.status === 'success' ? items : undefined;
      },
      30_000,
      'a successful delivery',
    );
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 200]);
    expect(delivery!.response).toMatchObject({ status: 200, body: 'thanks' });
    expect(received).toHaveLength(2);

    const last = received.at(-1)!;
    const payload = JSON.parse(last.body);
    expect(payload).toMatchObject({
      event: 'push',
      ref: 'refs/heads/main',
      after: sha,
      created: true,
      headCommit: { message: 'hook me' },
    });
    expect(last.headers['x-orchard-event']).toBe('push');
    // GitHub-style signature over the raw body.
    expect(verifyHubSignature(secret, last.body, last.headers['x-orchard-signature-256'] as string)).toBe(
      true,
    );
    expect(last.headers['x-hub-signature-256']).toBe(last.headers['x-orchard-signature-256']);
    expect(
      verifyHubSignature('wrong-secret-value', last.body, last.headers['x-orchard-signature-256'] as string),
    ).toBe(false);
    // Standard Webhooks: HMAC of "{id}.{timestamp}.{body}", base64, as v1.
    const id = last.headers['webhook-id'] as string;
    const ts = last.headers['webhook-timestamp'] as string;
    const expected = createHmac('sha256', secret).update(`${id}.${ts}.${last.body}`).digest('base64');
    expect(last.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(id).toBe(delivery!.id);
  });

  it('redelivers a stored delivery as a new one', async () => {
    const hooks = (await api('GET', '/webhooks')).json().items;
    const hookId = hooks[0].id;
    const [original] = await deliveries(hookId);
    const again = await api('POST', `/webhooks/${hookId}/deliveries/${original!.id}/redeliver`);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({
      redeliveryOf: original!.id,
      request: { body: original!.request.body },
    });
    await until(
      async () => (await deliveries(hookId)).find((d) => d.id === again.json().id && d.status === 'success'),
      20_000,
      'redelivery',
    );
  });

  it('gives up at once on a 4xx other than 408/429', async () => {
    const hook = (await api('POST', '/webhooks', { url: receiverUrl, secret, events: ['issue'] })).json();
    replies.push(404);
    await api('POST', '/issues', { title: 'Hook an issue' });
    const [failed] = await until(
      async () => {
        const items = await deliveries(hook.id);
        return items[0]?.status === 'failed' ? items : undefined;
      },
      20_000,
      'a failed delivery',
    );
    expect(failed!.attempts).toHaveLength(1);
    expect(JSON.parse(failed!.request.body)).toMatchObject({
      event: 'issue',
      action: 'opened',
      issue: { title: 'Hook an issue' },
    });
  });

  it('refuses loopback, private and link-local targets unless the instance allows them (SSRF)', async () => {
    const admin = await strict.user('admin');
    await strict.http.inject({
      method: 'POST',
      url: '/api/projects',
      headers: bearer(admin.token),
      payload: { name: 'x', slug: 'strict' },
    });
    for (const url of [
      'http://127.0.0.1:9/x',
      'http://localhost/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      'http://10.1.2.3/',
      'http://[::ffff:192.168.0.1]/',
      // IPv6 spellings that embed a loopback or metadata IPv4, and IPv4 in odd spellings.
      'http://[::127.0.0.1]:9/',
      'http://[::7f00:1]/',
      'http://[0:0:0:0:0:ffff:7f00:1]/',
      'http://[2002:7f00:1::1]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[2001:0:5db8:d822::80ff:fffe]/',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://0x7f.1/',
      'http://127.1/',
    ]) {
      const r = await strict.http.inject({
        method: 'POST',
        url: '/api/projects/strict/webhooks',
        headers: bearer(admin.token),
        payload: { url, secret, events: ['push'] },
      });
      expect([url, r.statusCode]).toEqual([url, 400]);
      expect(r.json().errors[0].field).toBe('body.url');
    }
    expect(
      (
        await strict.http.inject({
          method: 'POST',
          url: '/api/projects/strict/webhooks',
          headers: bearer(admin.token),
          payload: { url: 'file:///etc/passwd', secret, events: ['push'] },
        })
      ).statusCode,
    ).toBe(400);
    // At delivery time too (DNS may change after the hook was saved): the address connected to is checked.
    await expect(
      sendWebhook(receiverUrl.replace('127.0.0.1', 'localhost'), {}, '{}', {
        allowPrivate: false,
        timeoutMs: 2000,
      }),
    ).rejects.toThrow(/private or loopback/);
    expect(isPrivateAddress('93.184.216.34')).toBe(false);
    await expect(assertWebhookUrl('https://93.184.216.34/hook', false)).resolves.toBeInstanceOf(URL);
  });

  it('refuses an address literal at delivery time too, however it is spelled', async () => {
    const port = new URL(receiverUrl).port;
    const before = received.length;
    // An IPv4-mapped literal reaches the receiver on 127.0.0.1; Node never calls `lookup` for literals.
    for (const host of ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::127.0.0.1]', '2130706433', '0x7f.1']) {
      await expect(
        sendWebhook(`http://${host}:${port}/hook`, {}, '{}', { allowPrivate: false, timeoutMs: 2000 }),
        host,
      ).rejects.toThrow(/private or loopback/);
    }
    // A hook saved while private targets were allowed (or before an address form was known) is not
    // delivered once they are not: the delivery is failed for good and nothing reaches the receiver.
    const created = await api('POST', '/webhooks', {
      url: `http://[::ffff:127.0.0.1]:${port}/hook`,
      secret,
      events: ['merge_request'],
    });
    expect(created.statusCode).toBe(201);
    const hook = created.json();
    const project = await t.res.db.query<{ id: string }>('SELECT id FROM projects WHERE slug = $1', [slug]);
    const delivery = await insertDelivery(t.res.db, {
      webhookId: hook.id,
      projectId: project.rows[0]!.id,
      event: 'merge_request',
      body: '{"event":"merge_request"}',
    });
    const strictRes = { ...t.res, config: { ...t.config, allowPrivateWebhookTargets: false } };
    await expect(deliverOnce(strictRes, { deliveryId: delivery.id, attempt: 1 })).rejects.toThrow(
      /private or loopback/,
    );
    const [stored] = await deliveries(hook.id);
    expect(stored).toMatchObject({ status: 'failed' });
    expect(stored!.attempts[0]!.error).toMatch(/::ffff:7f00:1.*private or loopback/);
    expect(received.length).toBe(before);
  });
});
