import type { ProjectOverview } from './schemas.ts';

/**
 * What a project shows beyond its own row — builds, environments, reviews — answered by the modules
 * that own them (projects sit below them; app.ts wires the Studio's answer in). Each method answers
 * for a whole page of projects in a few statements, never one request per project.
 */
export interface ProjectOverviews {
  /** Every project asked about gets an overview. The caller has checked the viewer may see them. */
  of(projectIds: ReadonlyArray<string>): Promise<Map<string, ProjectOverview>>;
  /** When each project's newest operation started; absent for projects without one. */
  lastActivity(projectIds: ReadonlyArray<string>): Promise<Map<string, Date>>;
}
