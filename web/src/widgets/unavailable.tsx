import { ApiError } from '../api/client.ts';
import { Link } from '../app/router.tsx';
import { ErrorAlert } from './alert.tsx';
import { buttonClass } from './button.tsx';
import { PageHeader } from './page-header.tsx';

export interface UnavailableProps {
  error: unknown;
  /** The heading for a 404, a 403 (else `other`), and any other failure. */
  titles: { notFound: string; forbidden?: string; other: string };
  documentTitle: string;
  back: { to: string; label: string };
}

/** In place of a page whose subject could not be loaded: why, the error, and a way back. */
export function Unavailable({ error, titles, documentTitle, back }: UnavailableProps) {
  const status = error instanceof ApiError ? error.status : 0;
  const title =
    status === 404 ? titles.notFound : status === 403 ? (titles.forbidden ?? titles.other) : titles.other;
  return (
    <>
      <PageHeader title={title} documentTitle={documentTitle} />
      <div className="max-w-xl space-y-4">
        <ErrorAlert error={error} />
        <Link to={back.to} className={buttonClass('secondary')}>
          {back.label}
        </Link>
      </div>
    </>
  );
}
