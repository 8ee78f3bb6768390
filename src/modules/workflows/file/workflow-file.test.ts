import { describe, expect, it } from 'vitest';
import { formatWorkflowIssue, parseWorkflowFile } from './workflow-file.ts';

const FILE = '.orchard/workflows/w.yml';
const problems = (text: string) => {
  const parsed = parseWorkflowFile(text, FILE);
  return parsed.ok ? [] : parsed.issues.map(formatWorkflowIssue);
};

describe('workflow files', () => {
  it('parses steps, needs, fan-out, conditions, retries and timeouts', () => {
    const parsed = parseWorkflowFile(
      `name: Ship
inputs:
  envs: { type: list, default: [staging] }
on:
  schedule: [{ cron: '@daily' }]
steps:
  test: { kind: pipeline, with: { job: test }, retries: 2, timeout: 1h30m }
  deploy:
    kind: deploy
    needs: test
    forEach: \${{ inputs.envs }}
    if: needs.test.result == 'success'
    with: { env: '\${{ item }}' }
    continueOnError: true
`,
      FILE,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.spec.steps.test).toMatchObject({
      kind: 'pipeline',
      retries: 2,
      timeout: 5_400_000,
      needs: [],
    });
    expect(parsed.spec.steps.deploy).toMatchObject({ needs: ['test'], continueOnError: true, retries: 0 });
    expect(parsed.spec.on.schedule).toEqual([{ cron: '@daily' }]);
  });

  it('names the line and column of each problem, all in one pass', () => {
    expect(
      problems(`steps:
  a:
    kind: pipeline
    with: { job: x, branch: y }
  b:
    kind: notify
    needs: [a, c]
    with: { title: '\${{ needs.a.outputs }} \${{ needs.z.result }}' }
    retries: -1
  c:
    kind: approval
    needs: b
    retries: 1
    timeout: 0s
`),
    ).toEqual([
      `${FILE}:4:21: steps.a.with.branch: is not a known key`,
      `${FILE}:7:12: steps.b.needs: forms a cycle: b → c → b`,
      `${FILE}:8:20: steps.b.with.title: reads needs.z, but the step does not need "z" (add it to needs)`,
      `${FILE}:9:14: steps.b.retries: Too small: expected number to be >=0`,
      `${FILE}:13:14: steps.c.retries: an approval is not retried: a rejection is a decision`,
      `${FILE}:14:14: steps.c.timeout: must be longer than 0s`,
    ]);
  });

  it('refuses unknown keys and kinds, bad YAML, bad cron and what inputs and schedules cannot give', () => {
    expect(problems('steps:\n  a: { kind: pipeline }\ncolour: red\n')).toEqual([
      `${FILE}:3:1: colour: is not a known key`,
    ]);
    expect(problems('steps:\n  a: { kind: rocket }\n')).toEqual([
      `${FILE}:2:14: steps.a.kind: is not a step kind (known: pipeline, agent, deploy, verify, automation, approval, notify)`,
    ]);
    expect(problems('steps:\n  a: { kind: pipeline\n')[0]).toMatch(new RegExp(`^${FILE}:3:1: `));
    expect(problems('steps:\n  a: { kind: notify, with: { title: x } }\n  a: { kind: notify }\n')[0]).toMatch(
      /Map keys must be unique/,
    );
    expect(
      problems(`on:
  schedule: [{ cron: 'every day' }]
inputs:
  target: { required: true }
  count: { type: number, default: many }
steps:
  a: { kind: notify, with: { title: '\${{ inputs.target }} \${{ item }}' } }
`),
    ).toEqual([
      `${FILE}:2:22: on.schedule[0].cron: is not a cron expression (five fields, minute hour day month weekday, UTC; or @daily, @hourly…)`,
      `${FILE}:4:11: inputs.target: is required and has no default, so a scheduled run cannot give it: add a default`,
      `${FILE}:5:35: inputs.count.default: must be a number`,
      `${FILE}:7:37: steps.a.with.title: reads item, which only a step with forEach has`,
    ]);
    expect(problems('steps: {}\n')).toEqual([`${FILE}:1:8: steps: needs at least one step`]);
  });
});
