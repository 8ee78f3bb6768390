import { describe, expect, it } from 'vitest';
import { closingReferences } from './closing-references.ts';

describe('closingReferences', () => {
  it('reads every closing keyword, in any case, with an optional colon', () => {
    expect(
      closingReferences(
        'Closes #1\nfixes #2. RESOLVED #3; close #4, Fixed: #5, resolving #6, closing #7, fixing #8, resolves #9, closed #10, fix #11, resolve #12',
      ),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('reads lists after one keyword', () => {
    expect(closingReferences('Closes #12, #13 and #14, and #15')).toEqual([12, 13, 14, 15]);
    expect(closingReferences('Fixes #1 and #2')).toEqual([1, 2]);
  });

  it('ignores mentions, other projects, words that merely contain a keyword, and repeats', () => {
    expect(closingReferences('See #3. Related to #4.')).toEqual([]);
    expect(closingReferences('Closes group/app#5 and enclosed #6, prefixes #7')).toEqual([]);
    expect(closingReferences('Closes #8x, closes #0')).toEqual([]);
    expect(closingReferences('Fixes #9\n\nCloses #9.')).toEqual([9]);
  });

  it('stops a list at the first thing that is not a reference', () => {
    expect(closingReferences('Closes #1 after #2')).toEqual([1]);
  });
});
