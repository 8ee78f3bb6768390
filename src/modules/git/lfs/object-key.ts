/** Where a project's LFS object lives in the blob store: `lfs/<project>/<oid[0..2]>/<oid>`. */
export function lfsObjectKey(projectId: string, oid: string) {
  return `lfs/${projectId}/${oid.slice(0, 2)}/${oid}`;
}
