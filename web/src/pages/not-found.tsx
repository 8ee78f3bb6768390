import { buttonClass } from '../components/button.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { Link } from '../router.tsx';
import { HOME } from '../routes.tsx';

export function NotFoundPage() {
  return (
    <div>
      <PageHeader
        title="Page not found"
        description="There is no page at this address. It may have moved, or the link is mistyped."
      />
      <Link to={HOME} className={buttonClass('secondary')}>
        Back to projects
      </Link>
    </div>
  );
}
