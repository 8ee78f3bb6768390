import { describe, expect, it } from 'vitest';
import type { Environment } from '../../api/env-types.ts';
import { mrPreview } from './mr-preview.ts';

const release = { id: 'r1', sha: 'a'.repeat(40), shortSha: 'aaaaaaa' } as Environment['release'];
const env = (name: string, kind: Environment['kind'], branch: string | null, deployed = true) =>
  ({
    name,
    kind,
    branch,
    url: `http://${name.replace('/', '--')}.localhost:4000/`,
    release: deployed ? release : null,
  }) as Environment;

describe('mrPreview', () => {
  const envs = [
    env('staging', 'staging', null),
    env('preview/other', 'preview', 'other'),
    env('preview/feature/x', 'preview', 'feature/x'),
  ];

  it("finds the preview of the merge request's source branch", () => {
    expect(mrPreview(envs, { state: 'open', sourceBranch: 'feature/x' })?.name).toBe('preview/feature/x');
  });

  it('has none for another branch, an undeployed preview, or a merge request no longer open', () => {
    expect(mrPreview(envs, { state: 'open', sourceBranch: 'feature/y' })).toBeUndefined();
    expect(
      mrPreview([env('preview/x', 'preview', 'x', false)], { state: 'open', sourceBranch: 'x' }),
    ).toBeUndefined();
    expect(mrPreview(envs, { state: 'merged', sourceBranch: 'feature/x' })).toBeUndefined();
    expect(mrPreview(envs, { state: 'closed', sourceBranch: 'feature/x' })).toBeUndefined();
  });
});
