import { useEffect } from 'react';
import { useLocation } from '../app/router.tsx';
import { Loading } from '../widgets/spinner.tsx';

/**
 * `/app-access?to=<address>`: where a private environment sends a browser without access. Once
 * signed in (the app's gate sends signed-out visitors to log in first and back here), the API
 * checks the project role and redirects to the page with a one-time token.
 */
export function AppAccessPage() {
  const location = useLocation();
  const to = location.search.get('to') ?? '';
  useEffect(() => {
    window.location.replace(`/api/app-access?to=${encodeURIComponent(to)}`);
  }, [to]);
  return <Loading label="Opening the environment…" />;
}
