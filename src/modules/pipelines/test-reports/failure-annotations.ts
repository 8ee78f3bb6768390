import { type CheckAnnotationInput, MAX_ANNOTATIONS } from '../../reviews/index.ts';
import { clip, type TestReport } from './test-report.ts';

/** `test/cart.test.js:12:5` → the file and line, when it is a path inside the repository. */
function whereIn(file: string | null): { path: string; startLine?: number } | undefined {
  if (!file) return undefined;
  const [, path = file, line] = /^(.*?):(\d+)(?::\d+)?$/.exec(file) ?? [];
  const inRepo =
    !path.startsWith('/') &&
    !/[\0\n\r]/.test(path) &&
    !/^[a-z][a-z0-9+.-]*:/i.test(path) &&
    path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
  if (!inRepo) return undefined;
  return { path, ...(line && Number(line) > 0 ? { startLine: Number(line) } : {}) };
}

/**
 * The failing test cases the jobs' reports listed, as annotations of the pipeline check: at their
 * file (and line, when the report gave one) when it is a path of the repository.
 */
export function testFailureAnnotations(
  jobs: ReadonlyArray<{ name: string; test_report: TestReport | null }>,
): CheckAnnotationInput[] {
  const out: CheckAnnotationInput[] = [];
  for (const job of jobs)
    for (const f of job.test_report?.failures ?? []) {
      const message = [f.message, f.output].filter(Boolean).join('\n\n');
      out.push({
        ...whereIn(f.file),
        level: 'failure',
        title: clip(`${job.name}: ${f.suite ? `${f.suite} › ` : ''}${f.name}`, 255),
        message: clip(message || (f.kind === 'error' ? 'could not run' : 'failed'), 4_000),
      });
    }
  return out.slice(0, MAX_ANNOTATIONS);
}
