/** Where a session is shown, as comments and merge request descriptions link it. */
export function sessionLink(id: string): string {
  return `/agent-sessions/${id}`;
}
