import { describe, expect, it } from 'vitest';
import { jobsFor, parsePipelineFile } from './pipeline-file.ts';
import { nextCronTime, parseCron } from './schedules/cron.ts';

describe('pipeline file', () => {
  it('parses jobs with defaults', () => {
    const spec = parsePipelineFile(`jobs:
  build:
    steps:
      - name: compile
        run: make
    artifacts: [dist/**]
  test:
    needs: [build]
    env: { RETRIES: 3 }
    steps: [{ name: t, run: make test }]
`);
    expect(spec.jobs.test).toMatchObject({
      needs: ['build'],
      env: { RETRIES: '3' },
      network: false,
      timeoutMinutes: 30,
      secrets: [],
    });
  });

  it('names the line and field of a missing value', () => {
    const text = `jobs:
  build:
    steps:
      - name: compile
        run: make
  test:
    steps:
      - name: unit
`;
    expect(() => parsePipelineFile(text)).toThrow('pipeline.yml line 8: jobs.test.steps[0].run: Required');
  });

  it('names the line of wrong types, unknown needs, cycles and YAML syntax errors', () => {
    expect(() =>
      parsePipelineFile('jobs:\n  a:\n    network: "yes"\n    steps: [{name: x, run: y}]\n'),
    ).toThrow('pipeline.yml line 3: jobs.a.network: must be true or false');
    expect(() =>
      parsePipelineFile('jobs:\n  a:\n    needs: [zzz]\n    steps: [{name: x, run: y}]\n'),
    ).toThrow('line 3: jobs.a.needs[0]: names no job "zzz"');
    expect(() =>
      parsePipelineFile(
        'jobs:\n  a:\n    needs: [b]\n    steps: [{name: x, run: y}]\n  b:\n    needs: [a]\n    steps: [{name: x, run: y}]\n',
      ),
    ).toThrow(/forms a cycle: a → b → a/);
    expect(() => parsePipelineFile('jobs:\n  a: [unclosed\n')).toThrow(/^pipeline.yml line \d+: /);
    expect(() => parsePipelineFile('')).toThrow('pipeline.yml line ?: jobs: Required');
  });

  it('takes no job name every object already has, as a job or as a need', () => {
    expect(() =>
      parsePipelineFile('jobs:\n  a:\n    needs: [constructor]\n    steps: [{name: x, run: y}]\n'),
    ).toThrow('line 3: jobs.a.needs[0]: is a name every object already has');
    // zod drops a `__proto__` key before its key schema sees it; it never becomes a job either.
    expect(() => parsePipelineFile('jobs:\n  __proto__:\n    steps: [{name: x, run: y}]\n')).toThrow(
      'needs at least one job',
    );
    for (const name of ['constructor', 'toString', 'hasOwnProperty'])
      expect(() => parsePipelineFile(`jobs:\n  ${name}:\n    steps: [{name: x, run: y}]\n`), name).toThrow(
        /is a name every object already has/,
      );
    const spec = parsePipelineFile(
      'jobs:\n  a: { needs: [valueOf], steps: [{ name: x, run: y }] }\n  valueOf2: { steps: [{ name: x, run: y }] }\n'.replace(
        '[valueOf]',
        '[valueOf2]',
      ),
    );
    expect(Object.keys(jobsFor(spec, 'main'))).toEqual(['a', 'valueOf2']);
  });

  it("declares test reports in GitLab's form, beside artifact paths, and keeps the list form", () => {
    const spec = parsePipelineFile(`jobs:
  unit:
    steps: [{ name: t, run: npm test }]
    artifacts:
      paths: [coverage/]
      reports:
        junit: reports/junit.xml
        tap: [reports/a.tap, reports/b.tap]
  build:
    steps: [{ name: b, run: make }]
    artifacts: [dist/**]
  lint:
    steps: [{ name: l, run: make lint }]
`);
    expect(spec.jobs.unit).toMatchObject({
      artifacts: ['coverage/'],
      reports: { junit: ['reports/junit.xml'], tap: ['reports/a.tap', 'reports/b.tap'] },
    });
    expect(spec.jobs.build).toMatchObject({ artifacts: ['dist/**'], reports: { junit: [], tap: [] } });
    expect(spec.jobs.lint).toMatchObject({ artifacts: [], reports: { junit: [], tap: [] } });
  });

  it('names the line and field of a bad artifacts or reports key', () => {
    const job = (artifacts: string) =>
      parsePipelineFile(`jobs:\n  a:\n    steps: [{ name: x, run: y }]\n    artifacts:\n${artifacts}`);
    expect(() => job('      reports:\n        cobertura: c.xml\n')).toThrow(
      'pipeline.yml line 6: jobs.a.artifacts.reports.cobertura: is not a known key (known: junit, tap)',
    );
    expect(() => job('      reports:\n        junit: 5\n')).toThrow(
      'pipeline.yml line 6: jobs.a.artifacts.reports.junit: must be a glob or a list of globs',
    );
    expect(() => job('      reports:\n        junit: [""]\n')).toThrow(
      'pipeline.yml line 6: jobs.a.artifacts.reports.junit[0]: must not be empty',
    );
    expect(() => job('      reports: [junit.xml]\n')).toThrow(
      'pipeline.yml line 5: jobs.a.artifacts.reports: must be a mapping of report kinds (junit, tap) to globs',
    );
    expect(() => job('      report:\n        junit: j.xml\n')).toThrow(
      'pipeline.yml line 5: jobs.a.artifacts.report: is not a known key (known: paths, reports)',
    );
    expect(() =>
      parsePipelineFile('jobs:\n  a:\n    steps: [{ name: x, run: y }]\n    artifacts: yes\n'),
    ).toThrow(
      'pipeline.yml line 4: jobs.a.artifacts: must be a list of globs, or a mapping with paths and reports',
    );
  });

  it('filters jobs by branch and drops jobs whose needs were filtered out', () => {
    const spec = parsePipelineFile(`jobs:
  build: { steps: [{ name: b, run: b }] }
  deploy: { branches: [main], needs: [build], steps: [{ name: d, run: d }] }
  smoke: { needs: [deploy], steps: [{ name: s, run: s }] }
  feature: { branches: ['feature/**'], steps: [{ name: f, run: f }] }
`);
    expect(Object.keys(jobsFor(spec, 'main'))).toEqual(['build', 'deploy', 'smoke']);
    expect(Object.keys(jobsFor(spec, 'feature/a/b'))).toEqual(['build', 'feature']);
  });
});

describe('cron', () => {
  it('computes the next run', () => {
    const at = new Date('2026-03-10T10:17:30Z');
    expect(nextCronTime(parseCron('*/15 * * * *'), at).toISOString()).toBe('2026-03-10T10:30:00.000Z');
    expect(nextCronTime(parseCron('0 3 * * *'), at).toISOString()).toBe('2026-03-11T03:00:00.000Z');
    expect(nextCronTime(parseCron('@monthly'), at).toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(nextCronTime(parseCron('30 8 * * 1-5'), new Date('2026-03-13T09:00:00Z')).toISOString()).toBe(
      '2026-03-16T08:30:00.000Z',
    );
    expect(nextCronTime(parseCron('0 0 29 2 *'), at).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('refuses malformed expressions', () => {
    expect(() => parseCron('* * *')).toThrow(/five fields/);
    expect(() => parseCron('61 * * * *')).toThrow(/out of range/);
    expect(() => nextCronTime(parseCron('0 0 31 2 *'), new Date())).toThrow(/never matches/);
  });
});
