import type { ComponentType } from 'react';
import { LoginPage } from './pages/login.tsx';
import { ProjectPage } from './pages/project.tsx';
import { ProjectsPage } from './pages/projects.tsx';
import { SettingsPage } from './pages/settings.tsx';
import { SetupPage } from './pages/setup.tsx';
import type { Params } from './router.tsx';

export interface PageProps {
  params: Params;
}

export interface AppRoute {
  path: string;
  page: ComponentType<PageProps>;
  /**
   * `user` (default): signed-in only, inside the app shell. `guest`: signed-out only (login).
   * `setup`: only while the instance has no admin.
   */
  access?: 'user' | 'guest' | 'setup';
  /** Shown in the top bar under this label. */
  nav?: string;
}

/** Every page of the UI. A new page is one file in pages/ and one line here. */
export const routes: AppRoute[] = [
  { path: '/setup', page: SetupPage, access: 'setup' },
  { path: '/login', page: LoginPage, access: 'guest' },
  { path: '/projects', page: ProjectsPage, nav: 'Projects' },
  { path: '/projects/:slug', page: ProjectPage },
  { path: '/settings', page: SettingsPage, nav: 'Settings' },
];

/** Where a signed-in user lands (the future landing prompt box takes `/`). */
export const HOME = '/projects';
