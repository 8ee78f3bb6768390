import { Suspense } from 'react';
import { NotFoundPage } from '../pages/not-found.tsx';
import { PasskeyRequiredPage } from '../pages/passkey-required.tsx';
import { ErrorAlert } from '../widgets/alert.tsx';
import { FullPageLoading, Loading } from '../widgets/spinner.tsx';
import { HOME } from './home.ts';
import { AppShell } from './layout.tsx';
import { matchPath, type Params, Redirect, useLocation } from './router.tsx';
import { type AppRoute, routes } from './routes.tsx';
import { MeContext, useMe, useSetupStatus } from './session.ts';

const navRoutes = routes.filter((r) => r.nav);
/** The top bar's sections: admin-only ones for instance admins alone. */
const navFor = (role: string) =>
  navRoutes.filter((r) => !r.adminNav || role === 'admin').map((r) => ({ label: r.nav!, to: r.path }));
const setupRoute = routes.find((r) => r.access === 'setup')!;

function findRoute(pathname: string): { route: AppRoute; params: Params } | undefined {
  for (const route of routes) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return undefined;
}

/** Only same-site paths are followed after login (no open redirect via `?next=`). */
function safeNext(next: string | null) {
  // Browsers read `//host` and `/\host` as another origin.
  return next && /^\/(?![/\\])/.test(next) ? next : HOME;
}

/**
 * The gate in front of every page: first run goes to "create the admin", signed-out users to
 * login (remembering where they were going), signed-in users into the app shell.
 */
export function App() {
  const location = useLocation();
  const setup = useSetupStatus();
  const needsAdmin = setup.data?.needsAdmin;
  const me = useMe(needsAdmin === false);

  if (setup.isError) return <StartupError error={setup.error} />;
  if (needsAdmin === undefined) return <FullPageLoading />;
  if (needsAdmin) {
    if (location.pathname !== setupRoute.path) return <Redirect to={setupRoute.path} />;
    return <setupRoute.page params={{}} />;
  }
  if (me.isError) return <StartupError error={me.error} />;
  if (me.isPending) return <FullPageLoading />;

  const user = me.data;
  const match = findRoute(location.pathname);
  const access = match?.route.access ?? 'user';
  if (access === 'setup') return <Redirect to={user ? HOME : '/login'} />;
  if (access === 'public') {
    const Page = match!.route.page;
    return (
      <Suspense fallback={<FullPageLoading />}>
        <Page params={match!.params} />
      </Suspense>
    );
  }
  if (access === 'guest') {
    if (user) return <Redirect to={safeNext(location.search.get('next'))} />;
    const Page = match!.route.page;
    return <Page params={match!.params} />;
  }
  if (!user) return <Redirect to={`/login?next=${encodeURIComponent(location.href)}`} />;
  // The instance requires a passkey this person lacks: nothing else answers until they add one.
  if (user.mustRegisterPasskey) return <PasskeyRequiredPage />;
  const Page = match?.route.page ?? NotFoundPage;
  return (
    <MeContext value={user}>
      <AppShell user={user.user} nav={navFor(user.user.role)} wide={match?.route.wide}>
        {/* A new key per path: pages keep no stale state from the previous one. */}
        <Suspense fallback={<Loading label="Loading page…" />}>
          <Page key={location.pathname} params={match?.params ?? {}} />
        </Suspense>
      </AppShell>
    </MeContext>
  );
}

function StartupError({ error }: { error: unknown }) {
  return (
    <main className="mx-auto max-w-lg px-4 py-24">
      <ErrorAlert title="Orchard could not load" error={error} />
      <p className="mt-4 text-sm text-slate-600">Reload the page once the server is reachable.</p>
    </main>
  );
}
