/** Agent tokens administer nothing: a project's settings and members are for its people. */
export const AGENTS_CANNOT_ADMINISTER = 'Agent tokens cannot change project settings or members';
