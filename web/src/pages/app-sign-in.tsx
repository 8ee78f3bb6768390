import { useEffect } from 'react';
import type { PageProps } from '../app/page-props.ts';
import { Link, useLocation } from '../app/router.tsx';
import { buttonClass } from '../widgets/button.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

/**
 * `/app-sign-in/:uid`: where an app's sign-in with Orchard (the sign-in service) comes back after
 * Orchard's login. The API checks the person's project role and sends the browser on to the app,
 * or back here with `?expired=1` when the sign-in is no longer waiting.
 */
export function AppSignInPage({ params }: PageProps) {
  const uid = params.uid ?? '';
  const expired = useLocation().search.has('expired');
  useEffect(() => {
    if (!expired) window.location.replace(`/api/app-sign-in/${encodeURIComponent(uid)}`);
  }, [uid, expired]);
  if (expired)
    return (
      <>
        <PageHeader
          title="This sign-in has expired"
          description="It took more than ten minutes, or it was started in another browser. Go back to the app and sign in again."
        />
        <Link to="/projects" className={buttonClass('secondary')}>
          Back to projects
        </Link>
      </>
    );
  return <Loading label="Signing you in to the app…" />;
}
