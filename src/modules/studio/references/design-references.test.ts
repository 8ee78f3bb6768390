import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../../test/app.ts';
import { DESIGN, type DesignSite, startDesignSite } from '../../../../test/support/design-site.ts';

/**
 * Design references over the API, with the real browser (Chromium, behind the URL guard) against a
 * local page of known design, and real images made with sharp.
 */
const MAX_IMAGE_BYTES = 200_000;
let t: TestApp;
let h: { authorization: string };
let site: DesignSite;
let slug: string;

beforeAll(async () => {
  site = await startDesignSite();
  t = await createTestApp({
    // The test page is on this machine: allowed as any private host must be.
    'automation.allowHosts': ['127.0.0.1'],
    'automation.allowPrivate': true,
    'designReferences.maxImageBytes': MAX_IMAGE_BYTES,
  });
  h = bearer((await t.user('member')).token);
  slug = (await api('POST', '/api/projects', { name: 'References' })).json().slug;
});
afterAll(async () => {
  await t?.close();
  await site?.close();
});

function api(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers = {}) {
  return t.http.inject({
    method,
    url,
    headers: { ...h, ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

async function blueprint(): Promise<{ id: string; version: number }> {
  const res = await api('POST', `/api/projects/${slug}/blueprints`, { title: 'Shop' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

function upload(id: string, body: Buffer, contentType: string) {
  return api('POST', `/api/blueprints/${id}/references`, body, { 'content-type': contentType });
}

/** A 200×100 PNG in bands of known colours (the widest is the background). */
function bandsPng(): Promise<Buffer> {
  const bands = [
    ['#ffffff', 120],
    ['#7c3aed', 50],
    ['#111827', 30],
  ] as const;
  let left = 0;
  const parts = bands.map(([hex, width]) => {
    const part = {
      input: { create: { width, height: 100, channels: 3 as const, background: hex } },
      left,
      top: 0,
    };
    left += width;
    return part;
  });
  return sharp({ create: { width: 200, height: 100, channels: 3, background: '#000' } })
    .composite(parts)
    .png()
    .toBuffer();
}

async function rows() {
  return Number((await t.res.db.query('SELECT count(*)::int AS n FROM design_references')).rows[0].n);
}

async function blobCount() {
  return (await t.res.blobs.list('design-references')).length;
}

function expectProblem(res: Awaited<ReturnType<typeof api>>, status: number, detail: RegExp) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.json().detail).toMatch(detail);
}

describe('a design reference from a URL', () => {
  it('captures the page: its palette with roles, type scale, spacing and radii, a screenshot and a thumbnail', async () => {
    const bp = await blueprint();
    const res = await api('POST', `/api/blueprints/${bp.id}/references`, { url: site.url });
    expect(res.statusCode, res.body).toBe(201);
    const ref = res.json();
    expect(ref).toMatchObject({ kind: 'url', url: site.url, title: 'Solar shop', contentType: 'image/png' });
    expect(ref.analysis.palette.roles).toEqual({
      background: DESIGN.background,
      surface: DESIGN.surface,
      text: DESIGN.text,
      muted: DESIGN.muted,
      primary: DESIGN.primary,
      accent: DESIGN.accent,
    });
    expect(ref.analysis.typography.body).toEqual({ family: DESIGN.bodyFont, px: DESIGN.bodyPx });
    expect(ref.analysis.typography.headings).toEqual({ family: DESIGN.headingFont, sizes: [40, 28] });

    // Proposed as tokens named the Blueprint's way, with the patch that applies them and its source.
    expect(ref.proposal.tokens).toEqual({
      colors: {
        background: DESIGN.background,
        surface: DESIGN.surface,
        text: DESIGN.text,
        muted: DESIGN.muted,
        primary: DESIGN.primary,
        accent: DESIGN.accent,
      },
      fonts: { heading: DESIGN.headingFont, body: DESIGN.bodyFont },
      fontSizes: { body: '18px', small: `${DESIGN.smallPx}px`, h1: '40px', h2: '28px' },
      radii: { sm: '6px', md: '12px' },
      spacing: expect.objectContaining({}),
    });
    expect(Object.values(ref.proposal.tokens.spacing)).toEqual(
      expect.arrayContaining(['8px', '16px', '24px']),
    );
    expect(ref.proposal.source).toEqual({ kind: 'url', url: site.url, referenceId: ref.id });
    expect(ref.proposal.patch).toContainEqual({
      op: 'add',
      path: '/sections/designSystem/tokens/colors/primary',
      value: DESIGN.primary,
    });
    expect(ref.proposal.applyUrl).toBe(`/api/blueprints/${bp.id}?reference=${ref.id}`);
    expect(ref.appliedVersion).toBeNull();

    const image = await api('GET', ref.imageUrl);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(await sharp(image.rawPayload).metadata()).toMatchObject({ format: 'png', width: 1280 });
    const thumb = await api('GET', ref.thumbnailUrl);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(await sharp(thumb.rawPayload).metadata()).toMatchObject({
      format: 'webp',
      width: 320,
      height: 240,
    });

    // Proposing changes nothing yet; the list shows it.
    expect((await api('GET', `/api/blueprints/${bp.id}`)).json().version).toBe(bp.version);
    const list = (await api('GET', `/api/blueprints/${bp.id}/references`)).json();
    expect(list.items.map((r: { id: string }) => r.id)).toEqual([ref.id]);
  });

  it('applies the proposed patch through PATCH, and the history names the reference as its source', async () => {
    const bp = await blueprint();
    const ref = (await api('POST', `/api/blueprints/${bp.id}/references`, { url: site.url })).json();
    const applied = await api('PATCH', ref.proposal.applyUrl, ref.proposal.patch, {
      'if-match': `"${ref.proposal.blueprintVersion}"`,
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const doc = applied.json().blueprint;
    expect(doc.sections.designSystem.tokens.colors).toMatchObject({
      primary: DESIGN.primary,
      background: DESIGN.background,
      text: DESIGN.text,
    });
    expect(doc.sections.designSystem.tokens.fonts).toEqual({
      heading: DESIGN.headingFont,
      body: DESIGN.bodyFont,
    });
    expect(doc.sections.designSystem.tokens.fontSizes).toEqual(ref.proposal.tokens.fontSizes);
    expect(doc.references).toEqual([
      { kind: 'url', url: site.url, artifactId: ref.id, tokens: ref.proposal.tokens },
    ]);
    const snapshots = (await api('GET', `/api/blueprints/${bp.id}/snapshots`)).json().items;
    const last = snapshots.at(-1);
    expect(last).toMatchObject({ kind: 'edit', version: applied.json().version });
    expect(last.message).toBe(`Design tokens from the reference ${site.url} (reference ${ref.id})`);
    const listed = (await api('GET', `/api/blueprints/${bp.id}/references`)).json().items[0];
    expect(listed.appliedVersion).toBe(applied.json().version);

    // A reference of another Blueprint is not a source of this one.
    const other = await blueprint();
    const wrong = await api('PATCH', `/api/blueprints/${other.id}?reference=${ref.id}`, ref.proposal.patch);
    expectProblem(wrong, 400, /No design reference .* on this Blueprint/);
    expect(wrong.json().errors).toEqual([
      { field: 'querystring.reference', message: 'is not a design reference of this Blueprint' },
    ]);
    expect((await api('GET', `/api/blueprints/${other.id}`)).json().version).toBe(other.version);
  });

  it('refuses a URL the guard blocks with a 403 problem saying how to allow it, and writes nothing', async () => {
    const bp = await blueprint();
    const [before, blobsBefore] = [await rows(), await blobCount()];
    const privateHost = await api('POST', `/api/blueprints/${bp.id}/references`, {
      url: 'http://10.20.30.40/',
    });
    expectProblem(
      privateHost,
      403,
      /may not visit http:\/\/10\.20\.30\.40\/: 10\.20\.30\.40 resolves to 10\.20\.30\.40, a private.*automation\.allowHosts and set automation\.allowPrivate/,
    );
    const metadata = await api('POST', `/api/blueprints/${bp.id}/references`, {
      url: 'http://169.254.169.254/latest/meta-data/',
    });
    expectProblem(metadata, 403, /cloud metadata address/);
    const redirect = await api('POST', `/api/blueprints/${bp.id}/references`, {
      url: `${site.url}to?url=${encodeURIComponent('http://169.254.169.254/')}`,
    });
    expectProblem(redirect, 403, /cloud metadata address/);
    const notHttp = await api('POST', `/api/blueprints/${bp.id}/references`, { url: 'file:///etc/passwd' });
    expectProblem(notHttp, 400, /must be an http\(s\) URL/);
    expect([await rows(), await blobCount()]).toEqual([before, blobsBefore]);
  });
});

describe('a design reference from an image', () => {
  it('finds the dominant colours of an uploaded image and proposes them as colour tokens', async () => {
    const bp = await blueprint();
    const res = await upload(bp.id, await bandsPng(), 'image/png');
    expect(res.statusCode, res.body).toBe(201);
    const ref = res.json();
    expect(ref).toMatchObject({
      kind: 'image',
      url: null,
      width: 200,
      height: 100,
      contentType: 'image/png',
    });
    expect(ref.analysis.palette.colors.map((c: { hex: string }) => c.hex)).toEqual([
      '#ffffff',
      '#7c3aed',
      '#111827',
    ]);
    expect(ref.proposal.tokens).toEqual({
      colors: { background: '#ffffff', text: '#111827', primary: '#7c3aed' },
      fonts: {},
      fontSizes: {},
      radii: {},
      spacing: {},
    });
    expect(ref.proposal.source).toEqual({ kind: 'image', referenceId: ref.id });
    const image = await api('GET', ref.imageUrl);
    expect(image.headers['content-type']).toBe('image/png');

    const applied = await api('PATCH', ref.proposal.applyUrl, ref.proposal.patch);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().blueprint.sections.designSystem.tokens.colors.primary).toBe('#7c3aed');
    expect(applied.json().blueprint.references.at(-1)).toMatchObject({ kind: 'upload', artifactId: ref.id });
    const last = (await api('GET', `/api/blueprints/${bp.id}/snapshots`)).json().items.at(-1);
    expect(last.message).toBe(`Design tokens from an uploaded image (reference ${ref.id})`);
  });

  it('refuses a too-large or non-image upload with a 413 or 415 that says what to send, writing nothing', async () => {
    const bp = await blueprint();
    const [before, blobsBefore] = [await rows(), await blobCount()];
    const big = await upload(bp.id, Buffer.alloc(MAX_IMAGE_BYTES + 1, 1), 'image/png');
    expectProblem(big, 413, /The image is larger than 0\.2 MiB; upload one of at most 0\.2 MiB/);
    expectProblem(
      await upload(bp.id, Buffer.from('%PDF-1.7 not an image'), 'image/png'),
      415,
      /not an image this server can read; upload a PNG, JPEG or WebP image/,
    );
    expectProblem(
      await upload(
        bp.id,
        await sharp(await bandsPng())
          .gif()
          .toBuffer(),
        'image/gif',
      ),
      415,
      /A body of type image\/gif is not accepted here; send JSON \{"url": "https:\/\/…"\} \(application\/json\), or the image itself/,
    );
    expectProblem(
      await upload(bp.id, Buffer.from('--x\r\n\r\n--x--'), 'multipart/form-data; boundary=x'),
      415,
      /A form \(multipart\/form-data\) is not accepted here/,
    );
    expectProblem(
      await upload(bp.id, Buffer.from('hello'), 'text/plain'),
      415,
      /text\/plain is not accepted/,
    );
    const wrongJson = await api('POST', `/api/blueprints/${bp.id}/references`, { image: 'aGk=' });
    expectProblem(wrongJson, 400, /send JSON \{"url": "https:\/\/…"\}, or the image itself as the body/);
    expect([await rows(), await blobCount()]).toEqual([before, blobsBefore]);
  });
});
