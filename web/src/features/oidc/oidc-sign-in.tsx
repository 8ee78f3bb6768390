import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { OidcProvider } from '../../api/oidc-types.ts';
import { keys } from '../../api/query-keys.ts';
import { ErrorAlert } from '../../widgets/alert.tsx';
import { buttonClass } from '../../widgets/button.tsx';
import { oidcErrorMessage } from './oidc-errors.ts';

/** The providers people may sign in with (configured at start: they do not change while it runs). */
function useOidcProviders() {
  return useQuery({
    queryKey: keys.oidcProviders,
    queryFn: () => api.get<{ items: OidcProvider[] }>('/api/auth/oidc/providers'),
    staleTime: Infinity,
  });
}

/** Only a path of this Orchard goes along as `returnTo` (the server refuses anything else). */
function startUrl(provider: string, next: string | null) {
  const url = `/api/auth/oidc/${encodeURIComponent(provider)}/start`;
  const local = next && /^\/(?![/\\])/.test(next) && !/[\\\u0000-\u001f\u007f]/.test(next);
  return local ? `${url}?returnTo=${encodeURIComponent(next)}` : url;
}

/**
 * One "Sign in with …" link per configured provider: a full navigation to the provider, which sends
 * the browser back signed in (to `next`), or to this page with an error. Nothing when none is set up.
 */
export function OidcSignIn({ next }: { next: string | null }) {
  const items = useOidcProviders().data?.items ?? [];
  if (!items.length) return null;
  return (
    <ul className="mt-3 space-y-3" aria-label="Single sign-on">
      {items.map((provider) => (
        <li key={provider.name}>
          <a className={`${buttonClass('secondary')} w-full`} href={startUrl(provider.name, next)}>
            Sign in with {provider.displayName}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Why the provider sent the person back here (`/login?error=<code>&provider=<name>`), in words. */
export function OidcSignInError({ code, provider }: { code: string; provider: string | null }) {
  const items = useOidcProviders().data?.items ?? [];
  const name = items.find((p) => p.name === provider)?.displayName ?? 'single sign-on';
  return <ErrorAlert title="Single sign-on failed" error={new Error(oidcErrorMessage(code, name))} />;
}
