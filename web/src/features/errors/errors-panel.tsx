import { Link, useLocation } from '../../app/router.tsx';
import { Card } from '../../widgets/card.tsx';
import { ErrorGroupDetailView } from './error-group-detail.tsx';
import { ErrorGroupList } from './error-group-list.tsx';
import type { ErrorScope } from './error-scope.ts';

const INSTANCE: ErrorScope = { kind: 'instance' };
const groupHref = (id: string) => `/admin?tab=errors&group=${encodeURIComponent(id)}`;

/** The admin panel's Errors tab: Orchard's own errors (server 500s, failed operations, its UI). */
export function ErrorsPanel() {
  const group = useLocation().search.get('group');
  if (group)
    return (
      <div className="space-y-4">
        <Link to="/admin?tab=errors" className="text-sm text-emerald-800 hover:underline">
          ← All of Orchard's errors
        </Link>
        <ErrorGroupDetailView scope={INSTANCE} id={group} canChange />
      </div>
    );
  return (
    <Card
      title="Orchard's errors"
      description="Unexpected errors of Orchard itself: the server's 500s, operations that failed on a bug, and errors in this UI. Repeats are grouped."
      flush
    >
      <ErrorGroupList scope={INSTANCE} hrefOf={groupHref} />
    </Card>
  );
}
