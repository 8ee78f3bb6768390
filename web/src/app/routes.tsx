import { type ComponentType, lazy } from 'react';
import { AppAccessPage } from '../pages/app-access.tsx';
import { AppSignInPage } from '../pages/app-sign-in.tsx';
import { CommitPage } from '../pages/commit.tsx';
import { CommitsPage } from '../pages/commits.tsx';
import { ComparePage } from '../pages/compare.tsx';
import { EnvironmentsPage } from '../pages/environments.tsx';
import { IssuePage } from '../pages/issue.tsx';
import { IssuesPage } from '../pages/issues.tsx';
import { LandingPage } from '../pages/landing.tsx';
import { LoginPage } from '../pages/login.tsx';
import { MergeRequestPage } from '../pages/merge-request.tsx';
import { MergeRequestsPage } from '../pages/merge-requests.tsx';
import { OperationPage } from '../pages/operation.tsx';
import { OperationsPage } from '../pages/operations.tsx';
import { PipelinePage } from '../pages/pipeline.tsx';
import { WebhookPage } from '../pages/pipeline-webhook.tsx';
import { WebhooksPage } from '../pages/pipeline-webhooks.tsx';
import { PipelinesPage } from '../pages/pipelines.tsx';
import { ProjectPage } from '../pages/project.tsx';
import { ProjectsPage } from '../pages/projects.tsx';
import { RepoPage } from '../pages/repo.tsx';
import { RepoFilePage } from '../pages/repo-file.tsx';
import { SettingsPage } from '../pages/settings.tsx';
import { SetupPage } from '../pages/setup.tsx';
import { StudioPage } from '../pages/studio.tsx';
import type { PageProps } from './page-props.ts';

// Pages in chunks of their own, fetched on the first visit (the main bundle stays under Vite's
// size warning). The app shell shows a spinner meanwhile.
const LlmPage = lazy(() => import('../pages/llm.tsx').then((m) => ({ default: m.LlmPage })));
const AgentSessionsPage = lazy(() =>
  import('../pages/agent-sessions.tsx').then((m) => ({ default: m.AgentSessionsPage })),
);
const AgentSessionPage = lazy(() =>
  import('../pages/agent-session.tsx').then((m) => ({ default: m.AgentSessionPage })),
);
const AccountLinkPage = lazy(() =>
  import('../pages/account-link.tsx').then((m) => ({ default: m.AccountLinkPage })),
);
const NotificationsPage = lazy(() =>
  import('../pages/notifications.tsx').then((m) => ({ default: m.NotificationsPage })),
);
const EnvironmentAlertsPage = lazy(() =>
  import('../pages/environment-alerts.tsx').then((m) => ({ default: m.EnvironmentAlertsPage })),
);
const EnvironmentErrorsPage = lazy(() =>
  import('../pages/environment-errors.tsx').then((m) => ({ default: m.EnvironmentErrorsPage })),
);
const EnvironmentErrorGroupPage = lazy(() =>
  import('../pages/environment-error-group.tsx').then((m) => ({ default: m.EnvironmentErrorGroupPage })),
);
const BoardPage = lazy(() => import('../pages/board.tsx').then((m) => ({ default: m.BoardPage })));
const AdminPage = lazy(() => import('../pages/admin.tsx').then((m) => ({ default: m.AdminPage })));
const EnvironmentTelemetryPage = lazy(() =>
  import('../pages/environment-telemetry.tsx').then((m) => ({ default: m.EnvironmentTelemetryPage })),
);
const ServicesPage = lazy(() => import('../pages/services.tsx').then((m) => ({ default: m.ServicesPage })));
const MailboxPage = lazy(() => import('../pages/mailbox.tsx').then((m) => ({ default: m.MailboxPage })));
const WorkflowsPage = lazy(() =>
  import('../pages/workflows.tsx').then((m) => ({ default: m.WorkflowsPage })),
);
const AgentSessionLinkPage = lazy(() =>
  import('../pages/agent-session-link.tsx').then((m) => ({ default: m.AgentSessionLinkPage })),
);
const ConversationsPage = lazy(() =>
  import('../pages/conversations.tsx').then((m) => ({ default: m.ConversationsPage })),
);
const ProjectConversationsPage = lazy(() =>
  import('../pages/project-conversations.tsx').then((m) => ({ default: m.ProjectConversationsPage })),
);
const ConversationPage = lazy(() =>
  import('../pages/conversation.tsx').then((m) => ({ default: m.ConversationPage })),
);

export interface AppRoute {
  path: string;
  page: ComponentType<PageProps>;
  /**
   * `user` (default): signed-in only, inside the app shell. `guest`: signed-out only (login).
   * `setup`: only while the instance has no admin. `public`: anyone, signed in or not, without the
   * shell (a one-time link's page).
   */
  access?: 'user' | 'guest' | 'setup' | 'public';
  /** Shown in the top bar under this label. */
  nav?: string;
  /** The top bar shows it to instance admins only (the page itself says who may use it). */
  adminNav?: boolean;
  /** Uses the full width of the window (the Studio's three panes). */
  wide?: boolean;
}

/** Every page of the UI. A new page is one file in pages/ and one line here. */
export const routes: AppRoute[] = [
  { path: '/setup', page: SetupPage, access: 'setup' },
  { path: '/login', page: LoginPage, access: 'guest' },
  // One-time links an admin hands a person: set a first password, or a new one.
  { path: '/invite/:token', page: AccountLinkPage, access: 'public' },
  { path: '/reset-password/:token', page: AccountLinkPage, access: 'public' },
  // A private environment sends browsers here to be let in (deploy/access/app-access-gate.ts).
  { path: '/app-access', page: AppAccessPage },
  // An app's sign-in with Orchard comes back here after the login (services/sign-in/).
  { path: '/app-sign-in/:uid', page: AppSignInPage },
  { path: '/', page: LandingPage, nav: 'Build' },
  { path: '/projects', page: ProjectsPage, nav: 'Projects' },
  { path: '/projects/:slug', page: ProjectPage },
  { path: '/projects/:slug/board', page: BoardPage, wide: true },
  { path: '/projects/:slug/blueprints/:id', page: StudioPage, wide: true },
  { path: '/projects/:slug/environments', page: EnvironmentsPage },
  { path: '/projects/:slug/environments/:env/telemetry', page: EnvironmentTelemetryPage },
  { path: '/projects/:slug/environments/:env/errors', page: EnvironmentErrorsPage },
  { path: '/projects/:slug/environments/:env/errors/:id', page: EnvironmentErrorGroupPage },
  { path: '/projects/:slug/environments/:env/alerts', page: EnvironmentAlertsPage },
  // Platform services: the catalog, attachments, analytics; the email service's dev mailbox.
  { path: '/projects/:slug/services', page: ServicesPage },
  { path: '/projects/:slug/mailbox', page: MailboxPage },
  { path: '/operations/:id', page: OperationPage },
  // Code and review.
  { path: '/projects/:slug/code', page: RepoPage },
  { path: '/projects/:slug/code/blob', page: RepoFilePage },
  { path: '/projects/:slug/commits', page: CommitsPage },
  { path: '/projects/:slug/commits/:sha', page: CommitPage },
  { path: '/projects/:slug/compare', page: ComparePage },
  { path: '/projects/:slug/issues', page: IssuesPage },
  { path: '/projects/:slug/issues/:number', page: IssuePage },
  { path: '/projects/:slug/merge-requests', page: MergeRequestsPage },
  { path: '/projects/:slug/merge-requests/:number', page: MergeRequestPage },
  { path: '/projects/:slug/pipelines', page: PipelinesPage },
  { path: '/projects/:slug/pipelines/:id', page: PipelinePage },
  { path: '/projects/:slug/workflows', page: WorkflowsPage },
  { path: '/projects/:slug/webhooks', page: WebhooksPage },
  { path: '/projects/:slug/webhooks/:id', page: WebhookPage },
  // Agent sessions.
  { path: '/projects/:slug/agent-sessions', page: AgentSessionsPage },
  { path: '/projects/:slug/agent-sessions/:id', page: AgentSessionPage },
  { path: '/agent-sessions/:id', page: AgentSessionLinkPage },
  // Conversations (the Studio's chats with the Architect among them): search, read, export.
  { path: '/conversations', page: ConversationsPage, nav: 'Conversations' },
  { path: '/conversations/:id', page: ConversationPage },
  { path: '/projects/:slug/conversations', page: ProjectConversationsPage },
  { path: '/operations', page: OperationsPage, nav: 'Operations' },
  { path: '/llm', page: LlmPage, nav: 'LLM' },
  { path: '/notifications', page: NotificationsPage },
  { path: '/settings', page: SettingsPage, nav: 'Settings' },
  { path: '/admin', page: AdminPage, nav: 'Admin', adminNav: true },
];
