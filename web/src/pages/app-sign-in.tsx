import { useEffect } from 'react';
import type { PageProps } from '../app/page-props.ts';
import { Loading } from '../widgets/spinner.tsx';

/**
 * `/app-sign-in/:uid`: where an app's sign-in with Orchard (the sign-in service) comes back after
 * Orchard's login. The API checks the person's project role and sends the browser on to the app.
 */
export function AppSignInPage({ params }: PageProps) {
  const uid = params.uid ?? '';
  useEffect(() => {
    window.location.replace(`/api/app-sign-in/${encodeURIComponent(uid)}`);
  }, [uid]);
  return <Loading label="Signing you in to the app…" />;
}
