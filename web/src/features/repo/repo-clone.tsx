import { Link } from '../../app/router.tsx';
import { Card } from '../../widgets/card.tsx';
import { CopyButton } from '../../widgets/copy-button.tsx';

export const cloneUrl = (slug: string) => `${window.location.origin}/git/${encodeURIComponent(slug)}.git`;

/** The clone URL to copy, and how to authenticate: any user name, an API token as the password. */
export function RepoClone({ slug }: { slug: string }) {
  const url = cloneUrl(slug);
  return (
    <Card title="Clone">
      <div className="flex items-center gap-2">
        <label htmlFor="clone-url" className="sr-only">
          Clone URL
        </label>
        <input
          id="clone-url"
          readOnly
          value={url}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-2.5 py-1.5 font-mono text-xs text-slate-800"
        />
        <CopyButton text={url} />
      </div>
      <p className="mt-3 text-xs leading-relaxed text-slate-600">
        When git asks for a password, give an{' '}
        <Link to="/settings" className="font-medium text-emerald-800 underline">
          API token
        </Link>{' '}
        (scope <code>read</code> to fetch, <code>write</code> to push); any user name works.
      </p>
      <pre className="mt-2 rounded-md bg-slate-900 px-3 py-2 font-mono text-xs leading-5 break-all whitespace-pre-wrap text-slate-100">
        {`git clone ${url}\n# or, without a prompt:\ngit clone ${url.replace('://', '://git:<token>@')}`}
      </pre>
    </Card>
  );
}
