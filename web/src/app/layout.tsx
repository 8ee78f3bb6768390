import type { ReactNode } from 'react';
import type { User } from '../api/identity-types.ts';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';
import { Badge } from '../widgets/badge.tsx';
import { Button } from '../widgets/button.tsx';
import { Logo } from './logo.tsx';
import { Link, NavLink } from './router.tsx';
import { useLogout } from './session.ts';
import { SystemWarningsBanner } from './system-warnings.tsx';
import { useMenu } from './use-menu.ts';

export interface NavItem {
  label: string;
  to: string;
}

const MENU_ID = 'main-menu';

const navClass =
  'rounded-md px-3 py-2 text-sm md:py-1.5 font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-emerald-600 aria-[current=page]:bg-emerald-50 aria-[current=page]:text-emerald-800';

/**
 * The signed-in frame: top bar with the sections, the user and logout (on a phone, behind a Menu
 * button); the page below.
 */
export function AppShell({
  user,
  nav,
  wide = false,
  children,
}: {
  user: User;
  nav: NavItem[];
  /** Pages that need the whole window (the Studio) get it. */
  wide?: boolean;
  children: ReactNode;
}) {
  const logout = useLogout();
  const menu = useMenu();
  const width = wide ? 'max-w-[110rem]' : 'max-w-6xl';
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/95 backdrop-blur">
        <div className={`mx-auto flex h-14 ${width} items-center gap-3 px-4 sm:gap-6 sm:px-6`}>
          <Link
            to="/"
            aria-label="Orchard home"
            className="rounded-md focus-visible:outline-2 focus-visible:outline-emerald-600"
          >
            <Logo narrow />
          </Link>
          <button
            ref={menu.button}
            type="button"
            aria-expanded={menu.open}
            aria-controls={MENU_ID}
            onClick={menu.toggle}
            className="ml-auto inline-flex h-9 items-center gap-2 rounded-md px-3 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-emerald-600 md:hidden"
          >
            <MenuIcon open={menu.open} />
            Menu
          </button>
          {/* Below md a panel under the bar, shown by the button; from md on its parts sit in the bar. */}
          <div
            ref={menu.panel}
            id={MENU_ID}
            className={`${menu.open ? 'absolute inset-x-0 top-full border-b border-slate-200 bg-white shadow-lg' : 'hidden'} md:contents`}
          >
            <nav aria-label="Main" className="flex flex-col gap-1 p-2 md:flex-row md:items-center md:p-0">
              {nav.map((item) => (
                <NavLink key={item.to} to={item.to} className={navClass}>
                  {item.label}
                </NavLink>
              ))}
            </nav>
            <div className="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 md:ml-auto md:border-0 md:p-0">
              <span className="inline-flex min-w-0 items-center gap-2 text-sm text-slate-700 md:hidden lg:inline-flex">
                <span
                  className="grid size-7 shrink-0 place-items-center rounded-full bg-slate-200 text-xs font-semibold uppercase text-slate-700"
                  aria-hidden="true"
                >
                  {user.username.slice(0, 2)}
                </span>
                <span className="truncate font-medium" data-testid="current-user">
                  {user.username}
                </span>
                {user.role === 'admin' && <Badge tone="blue">admin</Badge>}
              </span>
              <Button variant="secondary" size="sm" busy={logout.isPending} onClick={() => logout.mutate()}>
                Log out
              </Button>
            </div>
          </div>
          <NotificationBell />
        </div>
      </header>
      <SystemWarningsBanner />
      <main
        id="main"
        tabIndex={-1}
        className={`mx-auto ${width} px-4 outline-none sm:px-6 ${wide ? 'py-5' : 'py-8'}`}
      >
        {children}
      </main>
    </div>
  );
}

/** Three bars, or a cross while the menu is open. */
function MenuIcon({ open }: { open: boolean }) {
  return (
    <svg
      viewBox="0 0 20 20"
      className="size-5"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      aria-hidden="true"
    >
      {open ? (
        <path d="M5 5l10 10M15 5L5 15" strokeLinecap="round" />
      ) : (
        <path d="M3 6h14M3 10h14M3 14h14" strokeLinecap="round" />
      )}
    </svg>
  );
}
