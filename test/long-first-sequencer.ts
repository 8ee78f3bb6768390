import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files known to run for minutes start first. On a fresh clone vitest has no timings and runs the
 * larger files first; the corpus sample is a small file that runs longest (4 to 10 minutes), so it
 * started last and ran alone at the end while the other workers were idle: 242 s of a 1,199 s run.
 */
const RUN_FIRST = ['corpus/corpus-sample.test.ts', 'src/modules/studio/build/concurrent-builds.test.ts'];

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const at = RUN_FIRST.indexOf(
        path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join('/'),
      );
      return at === -1 ? RUN_FIRST.length : at;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
