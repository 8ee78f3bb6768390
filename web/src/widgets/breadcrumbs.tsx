import { Fragment, type ReactNode } from 'react';
import { Link } from '../app/router.tsx';

export interface Crumb {
  label: ReactNode;
  /** A link; the current page's crumb has none. */
  to?: string;
  className?: string;
}

/** The trail above a page's header: `Projects / shop / Studio`. */
export function Breadcrumbs({ items, className = 'mb-3' }: { items: Crumb[]; className?: string }) {
  return (
    <nav aria-label="Breadcrumb" className={`${className} text-sm text-slate-500`}>
      {items.map((item, i) => (
        <Fragment key={typeof item.to === 'string' ? item.to : i}>
          {i > 0 && <span aria-hidden="true"> / </span>}
          {item.to ? (
            <Link
              to={item.to}
              className={`hover:text-slate-800 hover:underline ${item.className ?? ''}`.trim()}
            >
              {item.label}
            </Link>
          ) : (
            <span className={item.className}>{item.label}</span>
          )}
        </Fragment>
      ))}
    </nav>
  );
}
