import { describe, expect, it } from 'vitest';
import type { PageResult, VerificationResult } from '../../automation/index.ts';
import { CheckAnnotation } from '../../reviews/index.ts';
import { storyLocator } from './story-locator.ts';
import { verificationAnnotations } from './verification-annotations.ts';

const shot = (name: string, file: string) => ({
  name,
  kind: 'screenshot' as const,
  blobId: `operations/op/verify/attempt-1/${file}`,
  url: `/api/artifacts/operations/op/verify/attempt-1/${file}`,
  contentType: 'image/png',
  size: 10,
});

function page(p: Partial<PageResult> & Pick<PageResult, 'name' | 'url' | 'checks'>): PageResult {
  return {
    passed: p.checks.every((c) => c.passed),
    stepScreenshots: [],
    consoleErrors: [],
    failedRequests: [],
    durationMs: 1,
    ...p,
  };
}

const result = (pages: PageResult[]): VerificationResult => ({
  passed: pages.every((p) => p.passed),
  baseUrl: 'http://app.test/',
  pages,
  blockedRequests: [],
  durationMs: 1,
});

/** A Blueprint as a scaffolded app keeps it (`JSON.stringify(bp, null, 2)`). */
const BLUEPRINT = `${JSON.stringify(
  {
    feature: 'Photos',
    userStories: [
      {
        id: 'browse',
        story: 'As a visitor I browse photos',
        acceptance: [
          { text: 'The list loads' },
          {
            text: 'The list shows Sunset',
            check: { path: '/photos', steps: [{ click: 'a' }, { expectText: 'Sunset' }] },
          },
        ],
      },
    ],
  },
  null,
  2,
)}\n`;
const lineOf = (needle: string) => BLUEPRINT.slice(0, BLUEPRINT.indexOf(needle)).split('\n').length;

describe('verificationAnnotations', () => {
  it('points each failed check of a smoke page at its line, and links the page’s screenshots', () => {
    const smoke = (line: number) => ({ path: '.orchard/smoke.yml', line });
    const annotations = verificationAnnotations(
      result([
        page({
          name: 'Home',
          url: 'http://app.test/',
          checks: [{ name: 'load /', passed: true, message: 'ok' }],
        }),
        page({
          name: 'Photos',
          url: 'http://app.test/photos',
          source: smoke(5),
          screenshot: shot('Photos', '02-photos.png'),
          stepScreenshots: [shot('Photos: added', '02-photos-added.png')],
          checks: [
            { name: 'load /photos', passed: true, message: 'ok', source: smoke(5) },
            {
              name: 'expect text "Sunset"',
              passed: false,
              message: 'did not appear',
              step: 1,
              source: smoke(9),
            },
            {
              name: 'no console errors',
              passed: false,
              message: '1 console error, first: boom',
              source: smoke(5),
            },
          ],
        }),
      ]),
    );
    const screenshots = [
      { name: 'Photos', url: '/api/artifacts/operations/op/verify/attempt-1/02-photos.png' },
      { name: 'Photos: added', url: '/api/artifacts/operations/op/verify/attempt-1/02-photos-added.png' },
    ];
    expect(annotations).toEqual([
      {
        path: '.orchard/smoke.yml',
        startLine: 9,
        url: 'http://app.test/photos',
        level: 'failure',
        title: 'Photos: expect text "Sunset"',
        message: 'did not appear',
        screenshots,
      },
      {
        path: '.orchard/smoke.yml',
        startLine: 5,
        url: 'http://app.test/photos',
        level: 'failure',
        title: 'Photos: no console errors',
        message: '1 console error, first: boom',
        screenshots,
      },
    ]);
    // What the reviews module stores accepts them as they are.
    for (const a of annotations) expect(CheckAnnotation.safeParse(a).success).toBe(true);
  });

  it('points a failed user story at the Blueprint in the repository, else at the page', () => {
    const story = page({
      name: 'Story browse #2: The list shows Sunset',
      url: 'http://app.test/photos',
      story: { id: 'browse', criterion: 1 },
      checks: [
        { name: 'load /photos', passed: false, message: 'HTTP 500' },
        { name: 'expect text "Sunset"', passed: false, message: 'did not appear', step: 1 },
      ],
    });
    const located = verificationAnnotations(result([story]), storyLocator(BLUEPRINT));
    // The load check points at the criterion, the step's check at the step (each opens with "{").
    expect(located.map((a) => [a.path, a.startLine])).toEqual([
      ['.orchard/blueprint.json', lineOf('"text": "The list shows Sunset"') - 1],
      ['.orchard/blueprint.json', lineOf('"expectText": "Sunset"') - 1],
    ]);
    expect(BLUEPRINT.split('\n')[located[1]!.startLine! - 1]!.trim()).toBe('{');

    // No Blueprint file (or not this story in it): the annotation is about the page.
    for (const locate of [
      storyLocator(undefined),
      storyLocator('{"userStories": []}'),
      storyLocator('not json {'),
    ]) {
      const [first] = verificationAnnotations(result([story]), locate);
      expect(first).toMatchObject({
        url: 'http://app.test/photos',
        title: expect.stringMatching(/^Story browse/),
      });
      expect(first).not.toHaveProperty('path');
      expect(first).not.toHaveProperty('startLine');
    }
  });

  it('keeps at most 50 annotations', () => {
    const checks = Array.from({ length: 60 }, (_, i) => ({
      name: `check ${i}`,
      passed: false,
      message: 'no',
    }));
    expect(
      verificationAnnotations(result([page({ name: 'Home', url: 'http://app.test/', checks })])),
    ).toHaveLength(50);
  });
});
