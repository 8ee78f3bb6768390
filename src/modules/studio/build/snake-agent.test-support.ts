/**
 * A scripted coding agent for the Studio's agent builds, shared by the API test
 * (agent-build.test.ts) and the browser test (e2e/studio-change.test.ts): a snake game no template
 * builds, then a change to it — each with the acceptance checks the browser robot runs.
 */
import type { ScenarioEntry } from '../../llm/index.ts';

export const SNAKE = 'a snake game playable in the browser with a high-score table';
export const CHANGE = 'show the best score on the game page';
/** What the scripted agent adds to the scaffold's lib/app.js: the game's page. */
const PLAY_PAGE = [
  "showPage(res, { title: 'Snake', body: html`",
  '<h1>Snake</h1><canvas id="board" width="200" height="200"></canvas><p>High scores</p>',
  "` }, '/play')",
].join('');

/** The agent's first build: the game page and the acceptance checks the browser robot runs. */
export const BUILD_SCENARIO: ScenarioEntry[] = [
  {
    match: { lastUser: 'snake game' },
    toolCalls: [{ name: 'read_file', args: { path: 'lib/app.js', offset: 30, limit: 30 } }],
  },
  {
    match: { lastToolResult: "router.add('GET', '/health'" },
    toolCalls: [
      {
        name: 'edit_file',
        args: {
          path: 'lib/app.js',
          old_text: "  router.add('GET', '/health', ({ res }) => sendJson(res, 200, { status: 'ok' }));\n",
          new_text: `  router.add('GET', '/health', ({ res }) => sendJson(res, 200, { status: 'ok' }));\n  router.add('GET', '/play', ({ res }) => ${PLAY_PAGE});\n`,
        },
      },
      {
        name: 'write_file',
        args: {
          path: '.orchard/smoke.yml',
          content:
            'pages:\n  - name: Play\n    path: /play\n    steps:\n      - expectVisible: "#board"\n      - expectText: "High scores"\n',
        },
      },
    ],
  },
  { match: { lastToolResult: 'Created .orchard/smoke.yml' }, toolCalls: [{ name: 'run_tests', args: {} }] },
  {
    match: { lastToolResult: '[exit code 0]' },
    toolCall: { name: 'finish', args: { summary: 'Added the game page and its acceptance checks.' } },
  },
];

/** The change: the best score on the game page, checked by the browser robot too. */
export const CHANGE_SCENARIO: ScenarioEntry[] = [
  {
    match: { lastUser: 'best score' },
    toolCalls: [
      {
        name: 'edit_file',
        args: {
          path: 'lib/app.js',
          old_text: '<p>High scores</p>',
          new_text: '<p>High scores</p><p>Best: 0</p>',
        },
      },
      {
        name: 'edit_file',
        args: {
          path: '.orchard/smoke.yml',
          old_text: '      - expectText: "High scores"\n',
          new_text: '      - expectText: "High scores"\n      - expectText: "Best: 0"\n',
        },
      },
    ],
  },
  {
    match: { lastToolResult: 'Edited .orchard/smoke.yml' },
    toolCall: { name: 'finish', args: { summary: 'The game page shows the best score.' } },
  },
];
