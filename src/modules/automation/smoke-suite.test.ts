import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../platform/errors.ts';
import { suiteFromBlueprint } from './blueprint-suite.ts';
import { parseSmokeYaml } from './smoke-suite.ts';

function issuesOf(text: string) {
  try {
    parseSmokeYaml(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return { message: (error as ValidationError).message, issues: (error as ValidationError).issues };
  }
  throw new Error('expected the suite to be refused');
}

describe('.orchard/smoke.yml', () => {
  it('parses every kind of step', () => {
    const suite = parseSmokeYaml(`
pages:
  - name: Photos
    path: /photos
    steps:
      - goto: /photos?sort=new
      - fill: "#title"
        value: 42
      - select: "#kind"
        value: b
      - press: Enter
        selector: "#title"
      - click: text=Add photo
      - wait: 250
      - wait: "#list li"
      - expectText: Sunset
      - expectVisible: form
      - screenshot: after-add
failOnConsoleErrors: false
`);
    // Each page and step says where it is written, so a failure can point at its line.
    const at = (line: number) => ({ source: { path: '.orchard/smoke.yml', line } });
    expect(suite).toEqual({
      pages: [
        {
          name: 'Photos',
          path: '/photos',
          ...at(3),
          steps: [
            { goto: '/photos?sort=new', ...at(6) },
            { fill: '#title', value: '42', ...at(7) },
            { select: '#kind', value: 'b', ...at(9) },
            { press: 'Enter', selector: '#title', ...at(11) },
            { click: 'text=Add photo', ...at(13) },
            { wait: 250, ...at(14) },
            { wait: '#list li', ...at(15) },
            { expectText: 'Sunset', ...at(16) },
            { expectVisible: 'form', ...at(17) },
            { screenshot: 'after-add', ...at(18) },
          ],
        },
      ],
      failOnConsoleErrors: false,
      failOnFailedRequests: true,
    });
  });

  it('says where each page of a multi-page file starts, under the name the caller gives the file', () => {
    const suite = parseSmokeYaml(
      'pages:\n  - name: Home\n    path: /\n\n  # the list\n  - path: /photos\n    name: Photos\n    steps: [{ expectText: Sunset }, { click: a }]\n',
      'checks/smoke.yml',
    );
    expect(suite.pages.map((p) => [p.name, p.source])).toEqual([
      ['Home', { path: 'checks/smoke.yml', line: 2 }],
      ['Photos', { path: 'checks/smoke.yml', line: 6 }],
    ]);
    expect(suite.pages[1]!.steps.map((s) => s.source?.line)).toEqual([8, 8]);
  });

  it('names the line and field of every problem', () => {
    const { message, issues } = issuesOf(`pages:
  - name: Home
    path: /
    steps:
      - fill: "#title"
      - click: button
        colour: red
      - wait: true
      - hover: "#menu"
      - click: a
        expectText: b
  - name: About
    path: about
`);
    expect(issues).toEqual([
      { field: 'pages.0.steps.0.value', message: 'is required', line: 5, column: 9 },
      {
        field: 'pages.0.steps.1.colour',
        message: 'is not a known key (Unrecognized key: "colour")',
        line: 7,
        column: 17,
      },
      {
        field: 'pages.0.steps.2.wait',
        message: 'must be milliseconds (a number) or a selector to wait for',
        line: 8,
        column: 15,
      },
      {
        field: 'pages.0.steps.3',
        message:
          'must be one of goto, click, fill, press, select, wait, expectText, expectVisible, screenshot, act (e.g. "- click: button")',
        line: 9,
        column: 9,
      },
      {
        field: 'pages.0.steps.4',
        message: 'has click and expectText: a step does exactly one thing',
        line: 10,
        column: 9,
      },
      {
        field: 'pages.1.path',
        message: 'must be a path starting with / (e.g. /photos)',
        line: 13,
        column: 11,
      },
    ]);
    expect(message).toMatch(
      /^\.orchard\/smoke\.yml:5 pages\.0\.steps\.0\.value: is required; \.orchard\/smoke\.yml:7 /,
    );
    expect(message).toMatch(/\(and 1 more\)$/);
  });

  it('reports YAML syntax errors and an empty file clearly', () => {
    expect(issuesOf('pages: [\n').message).toMatch(/^\.orchard\/smoke\.yml:\d+:\d+ is not valid YAML: /);
    expect(issuesOf('').issues).toEqual([{ field: 'pages', message: 'is required' }]);
    expect(issuesOf('pages: []').issues).toEqual([
      { field: 'pages', message: 'list at least one page', line: 1, column: 8 },
    ]);
  });
});

describe('suiteFromBlueprint', () => {
  it('visits every page it can reach, expecting what the scaffold templates render', () => {
    const suite = suiteFromBlueprint({
      summary: 'Share photos with friends.',
      sections: {
        pages: [
          { name: 'Home', path: '/', purpose: '', kind: 'landing' },
          {
            name: 'Photos',
            path: '/photos',
            purpose: 'Browse photos and add new ones',
            entity: 'Photo',
            kind: 'list',
          },
          { name: 'Photo details', path: '/photos/:id', entity: 'Photo', kind: 'detail' },
          { name: 'Tags', path: '/tags', entity: 'Tag', kind: 'list' },
          { name: 'Contact', path: '/contact', entity: 'Message', kind: 'form' },
          { name: 'About', path: '/about', kind: 'custom' },
          { name: 'Draft', kind: 'custom' },
        ],
        apiEndpoints: [
          { entity: 'Photo', action: 'list' },
          { entity: 'Photo', action: 'create' },
          { entity: 'Tag', action: 'list' },
        ],
      },
    });
    expect(suite.pages).toEqual([
      {
        name: 'Home',
        path: '/',
        steps: [{ expectVisible: 'h1' }, { expectText: 'Share photos with friends.' }],
      },
      {
        name: 'Photos',
        path: '/photos',
        steps: [{ expectVisible: 'h1' }, { expectText: 'Photos' }, { expectVisible: 'form' }],
      },
      { name: 'Tags', path: '/tags', steps: [{ expectVisible: 'h1' }, { expectText: 'Tags' }] },
      {
        name: 'Contact',
        path: '/contact',
        steps: [{ expectVisible: 'h1' }, { expectText: 'Contact' }, { expectVisible: 'form' }],
      },
      { name: 'About', path: '/about', steps: [{ expectVisible: 'h1' }, { expectText: 'About' }] },
    ]);
  });

  it('names the user story and criterion each story page checks', () => {
    const check = { path: '/photos', steps: [{ expectText: 'Sunset' }] };
    const suite = suiteFromBlueprint({
      sections: { pages: [] },
      userStories: [
        {
          id: 'browse',
          story: 'As a visitor I browse photos',
          acceptance: [{ text: 'The list loads' }, { text: 'The list shows Sunset', check }],
        },
      ],
    });
    expect(suite.pages).toEqual([
      {
        name: 'Story browse #2: The list shows Sunset',
        path: '/photos',
        steps: check.steps,
        story: { id: 'browse', criterion: 1 },
      },
    ]);
  });

  it('checks that the home page loads when the Blueprint has no visitable page', () => {
    expect(
      suiteFromBlueprint({ sections: { pages: [{ name: 'Item', path: '/items/:id', kind: 'detail' }] } })
        .pages,
    ).toEqual([{ name: 'Home', path: '/', steps: [{ expectVisible: 'body' }] }]);
  });
});
