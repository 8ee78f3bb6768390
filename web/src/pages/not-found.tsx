import { HOME } from '../app/home.ts';
import { Link } from '../app/router.tsx';
import { buttonClass } from '../widgets/button.tsx';
import { PageHeader } from '../widgets/page-header.tsx';

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
