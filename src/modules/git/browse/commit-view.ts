import type { CommitView } from '../schemas.ts';
import type { CommitInfo } from './read-commit.ts';

export function toCommitView(c: CommitInfo): CommitView {
  return {
    sha: c.sha,
    parents: c.parents,
    title: c.title,
    message: c.message,
    authorName: c.authorName,
    authorEmail: c.authorEmail,
    authorDate: c.authorDate,
    committerName: c.committerName,
    committerEmail: c.committerEmail,
    committedAt: c.committedAt,
  };
}
