import { useEffect } from 'react';
import { Link, useLocation } from '../app/router.tsx';
import { buttonClass } from '../widgets/button.tsx';
import { PageHeader } from '../widgets/page-header.tsx';
import { Loading } from '../widgets/spinner.tsx';

/** Only an app's page is opened from here (the API checks it is one of this Orchard's environments). */
const isPageAddress = (to: string) => /^https?:\/\//i.test(to);

/**
 * `/app-access?to=<address>`: where a private environment sends a browser without access. Once
 * signed in (the app's gate sends signed-out visitors to log in first and back here), the API
 * checks the project role and redirects to the page with a one-time token.
 */
export function AppAccessPage() {
  const location = useLocation();
  const to = location.search.get('to') ?? '';
  const valid = isPageAddress(to);
  useEffect(() => {
    if (valid) window.location.replace(`/api/app-access?to=${encodeURIComponent(to)}`);
  }, [to, valid]);
  if (!valid)
    return (
      <>
        <PageHeader
          title="Nothing to open"
          description="A private environment sends you here with its address; this link has none. Open the environment from its project."
        />
        <Link to="/projects" className={buttonClass('secondary')}>
          Back to projects
        </Link>
      </>
    );
  return <Loading label="Opening the environment…" />;
}
