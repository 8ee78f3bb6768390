import { describe, expect, it } from 'vitest';
import { applyBlueprintPatch, emptyBlueprint } from '../../blueprint/index.ts';
import { autopilotBlueprint } from '../../studio/index.ts';
import { renderSpec } from './render-spec.ts';

describe('renderSpec', () => {
  const bp = applyBlueprintPatch(autopilotBlueprint('a photo gallery where visitors can like photos'), [
    { op: 'add', path: '/openQuestions/-', value: { id: 'q1', question: 'Moderate | filter photos?' } },
    { op: 'add', path: '/openQuestions/-', value: { id: 'q2', question: 'Dark mode?', answer: 'Later' } },
    {
      op: 'add',
      path: '/references/-',
      value: { kind: 'url', url: 'https://example.com/inspo', note: 'the grid' },
    },
  ]);
  const spec = renderSpec(bp);

  it('starts with the overview: name, summary, template and readiness', () => {
    expect(spec.startsWith('# Photo gallery\n\nA photo gallery where visitors can like photos.\n')).toBe(
      true,
    );
    expect(spec).toContain('- Template: crud-app\n');
    expect(spec).toContain('- Readiness: not ready: 1 open question is unanswered.\n');
  });

  it('tabulates the data model, with relations', () => {
    expect(spec).toContain(
      '### Photo\n\nA photo shared in the app\n\n| Field | Type | Required | Notes |\n|---|---|---|---|',
    );
    expect(spec).toContain('| `title` | text | yes |  |');
    expect(spec).toContain('| `likes` | integer | no |  |');
    const recipes = renderSpec(autopilotBlueprint('a recipe box with ingredients'));
    expect(recipes).toContain('Relations:\n\n- has many **Ingredient** (as `ingredients`)');
    expect(recipes).toContain('- belongs to **Recipe** (as `recipe`)');
  });

  it('lists endpoints, pages, design tokens, references, assumptions and open questions', () => {
    expect(spec).toContain(
      '| POST | `/api/photos/:id/like` | Photo | custom | Add one to the likes of a photo |',
    );
    expect(spec).toContain('| Photos | `/photos` | list | Photo | Browse photos and add new ones |  |');
    expect(spec).toMatch(/\| colors \| `primary` \| `#[0-9a-f]{6}` \|/);
    expect(spec).toContain('- https://example.com/inspo: the grid');
    expect(spec).toContain(
      '- There are no user accounts: anyone who can open the app can use it. _(autopilot)_',
    );
    // Table pipes in user text are escaped so the Markdown stays intact.
    expect(spec).toContain('- **q1**: Moderate \\| filter photos?\n  _Unanswered._');
    expect(spec).toContain('- **q2**: Dark mode?\n  Answer: Later');
  });

  it('says what is missing in an empty Blueprint instead of leaving holes', () => {
    const empty = renderSpec(emptyBlueprint());
    expect(empty).toContain('# Untitled feature\n\n_No summary yet._');
    expect(empty).toContain('## Data model\n\n_None yet._');
    expect(empty).toContain('## API endpoints\n\n_None yet._');
    expect(empty).toMatch(/Readiness: not ready: The feature has no name\. There is no summary\./);
    expect(empty).not.toMatch(/\{\{\w+\}\}/);
  });

  it('never expands placeholders that appear in Blueprint text', () => {
    const tricky = applyBlueprintPatch(emptyBlueprint('{{summary}}'), [
      { op: 'replace', path: '/summary', value: 'plain' },
    ]);
    expect(renderSpec(tricky).startsWith('# {{summary}}\n\nplain')).toBe(true);
  });
});
