import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../artifacts.ts';
import { BrowserPool } from '../browser-pool.ts';
import { createUrlGuard } from '../url-guard.ts';
import { runTask } from './run-task.ts';
import { AutomationTaskBody } from './task-input.ts';
import { createVariables } from './variables.ts';

/**
 * A task reaches its environment and nothing else: what its pages ask of any other host or port —
 * an image, a fetch over http and https, a WebSocket, a beacon, a redirect — is refused, recorded,
 * and never opens a connection there; WebRTC sends no datagram to a STUN or TURN server of the
 * page's choosing. The "elsewhere" servers stand for Orchard's own API or another project's app on
 * the same machine: they count every TCP connection and UDP datagram they are offered.
 */
let elsewhere: TcpServer;
let elsewherePort: number;
let connectionsElsewhere = 0;
let udpElsewhere: UdpSocket;
let datagramsElsewhere = 0;
let site: Server;
let sitePort: number;
let pool: BrowserPool;

const page = (other: number, udp: number) => `<!doctype html><title>Start</title><h1>Start</h1>
<img src="http://blocked.example/pixel.png" alt="">
<a href="/sneaky">Sneaky</a>
<p id="done">trying</p>
<script>
  const other = 'http://127.0.0.1:${other}';
  const tries = [
    fetch(other + '/api/secret').then(() => 'answered', () => 'refused'),
    fetch('https://127.0.0.1:${other}/api/tls').then(() => 'answered', () => 'refused'),
    new Promise((resolve) => {
      const ws = new WebSocket('ws://127.0.0.1:${other}/ws');
      ws.onopen = () => resolve('answered');
      ws.onerror = () => resolve('refused');
    }),
    new Promise((resolve) => {
      const pc = new RTCPeerConnection({ iceServers: [
        { urls: 'stun:127.0.0.1:${udp}' },
        { urls: 'turn:127.0.0.1:${udp}?transport=udp', username: 'u', credential: 'p' },
      ] });
      const candidates = [];
      pc.onicecandidate = (e) => { if (e.candidate) candidates.push(e.candidate); };
      pc.onicegatheringstatechange = () => {
        if (pc.iceGatheringState === 'complete') resolve(candidates.length ? 'gathered' : 'refused');
      };
      pc.createDataChannel('probe');
      pc.createOffer().then((offer) => pc.setLocalDescription(offer));
    }),
  ];
  navigator.sendBeacon(other + '/beacon', 'x');
  Promise.all(tries).then((all) => { document.getElementById('done').textContent = 'tried: ' + all.join(' '); });
</script>`;

beforeAll(async () => {
  elsewhere = createTcpServer((socket) => {
    connectionsElsewhere++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewherePort = (elsewhere.address() as AddressInfo).port;
  udpElsewhere = createSocket('udp4');
  udpElsewhere.on('message', () => datagramsElsewhere++);
  await new Promise<void>((resolve) => udpElsewhere.bind(0, '127.0.0.1', resolve));
  site = createHttpServer((req, res) => {
    if (req.url === '/sneaky')
      return res.writeHead(302, { location: `http://127.0.0.1:${elsewherePort}/from-redirect` }).end();
    res.writeHead(200, { 'content-type': 'text/html' }).end(page(elsewherePort, udpElsewhere.address().port));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  sitePort = (site.address() as AddressInfo).port;
  pool = new BrowserPool({ recycleAfter: 100, maxConcurrency: 1 });
});
afterAll(async () => {
  await pool?.close();
  await new Promise((resolve) => site?.close(resolve));
  await new Promise((resolve) => elsewhere?.close(resolve));
  udpElsewhere?.close();
});

describe('a task reaches its environment only', () => {
  it('refuses and records every request elsewhere, and never connects there', async () => {
    const artifacts: ArtifactStore = { put: async (key, data) => ({ id: key, size: data.length }) };
    const result = await runTask({
      task: AutomationTaskBody.parse({
        startUrl: `http://127.0.0.1:${sitePort}/`,
        steps: [
          { expect: { text: 'tried: refused refused refused refused' } },
          { click: { role: 'link', name: 'Sneaky' } },
        ],
      }),
      projectId: 'p',
      variables: createVariables({}, {}),
      pool,
      guard: createUrlGuard({ environment: [{ hostname: '127.0.0.1', port: sitePort }] }),
      artifacts,
      artifactPrefix: 'isolation',
    });

    expect(connectionsElsewhere).toBe(0);
    expect(datagramsElsewhere).toBe(0);
    expect(result.steps.map((s) => [s.kind, s.passed])).toEqual([
      ['goto', true],
      ['expect', true],
      ['click', true],
    ]);
    const refused = result.blockedRequests.map((b) => b.url);
    expect(refused).toEqual(
      expect.arrayContaining([
        'http://blocked.example/pixel.png',
        `http://127.0.0.1:${elsewherePort}/api/secret`,
        `http://127.0.0.1:${elsewherePort}/beacon`,
        `http://127.0.0.1:${elsewherePort}/from-redirect`,
      ]),
    );
    // https and WebSockets reach the proxy as CONNECT host:port tunnels, refused before they open.
    expect(refused).toContain(`https://127.0.0.1:${elsewherePort}`);
    for (const blocked of result.blockedRequests)
      expect(blocked.reason).toMatch(
        /is not the environment under verification and not in automation\.allowHosts$/,
      );
  });
});
