/** The repository browse API's answers (src/modules/git), from the generated openapi.gen.ts. */
import type { Answer, ItemOf } from './openapi-answer.ts';

export type Branch = ItemOf<Answer<'/api/projects/{slug}/branches', 'get'>>;
export type Tree = Answer<'/api/projects/{slug}/tree/{ref}', 'get'>;
export type TreeEntry = Tree['entries'][number];
export type Commit = ItemOf<Answer<'/api/projects/{slug}/commits', 'get'>>;
export type CommitDetail = Answer<'/api/projects/{slug}/commits/{sha}', 'get'>;
export type Diff = CommitDetail['diff'];
export type FileChange = Diff['files'][number];
export type FileChangeStatus = FileChange['status'];
export type Comparison = Answer<'/api/projects/{slug}/compare/{range}', 'get'>;
