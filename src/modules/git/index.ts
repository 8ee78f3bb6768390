/** The git module's public face: bare repositories, smart HTTP, browse API, push handling. */
export { agentMayPushTo, agentRefRefusal } from './agent-push-rule.ts';
export { type Diff, EMPTY_TREE, type FileChange, readDiff } from './browse/diff.ts';
export { getBlob } from './browse/get-blob.ts';
export { getTree } from './browse/get-tree.ts';
export { type Branch, listBranches } from './browse/list-branches.ts';
export { listCommits } from './browse/list-commits.ts';
export { type CommitInfo, readCommit } from './browse/read-commit.ts';
export { readFileAt, readFirstFileAt } from './browse/read-file.ts';
export { branchHead, resolveRevision } from './browse/resolve-revision.ts';
export { SearchQuery, searchFiles } from './browse/search-files.ts';
export {
  configureGit,
  GitCommandError,
  GitTimeoutError,
  git,
  gitEnv,
  gitLimits,
  killGitGroup,
  runGit,
  seconds,
  spawnGit,
} from './git-process.ts';
export { handlePush } from './handle-push.ts';
export {
  checkMergeability,
  createMergeCommit,
  isAncestor,
  type Mergeability,
  type MergeIdentity,
  updateRef,
} from './merge.ts';
export { openRepository, type RepositoryAccess } from './open-repository.ts';
export { protectedBranchContaining } from './protected-commit.ts';
export { branchOf, type HeadCommit, type PushEvent, type PushListener, type RefUpdate } from './push.ts';
export { assertRefName, isFullSha, normalizeRepoPath, refNameProblem, ZERO_SHA } from './ref-name.ts';
export { DEFAULT_BRANCH, ensureRepository, PROTECTED_BRANCHES, repositoryPath } from './repository.ts';
export { gitRoutes } from './routes.ts';
export { SecretsFoundError, scanRefUpdates } from './secret-scan/scan-ref-update.ts';
export { listPushEvents, type PushEventRow } from './store.ts';
export { addWorktree, removeWorktree } from './worktree.ts';
