import { Link } from '../../app/router.tsx';
import type { LiveArtifact } from '../operations/live-operation-state.ts';
import { to } from '../projects/project-paths.ts';
import type { BuildFacts } from './studio-build-facts.ts';
import { buildResults } from './studio-build-facts.ts';

const LINK_KINDS: Record<string, string> = { commit: 'Commit', pipeline: 'Pipeline' };

/**
 * Where the build's work landed, as it arrives: the agent session that wrote the code, the deployed
 * app (staging, or a change's preview), the browser's verdict, the merge request, commit and pipeline.
 */
export function BuildResultLinks({
  slug,
  facts,
  artifacts,
}: {
  slug: string;
  facts: BuildFacts;
  artifacts: LiveArtifact[];
}) {
  const results = buildResults(artifacts);
  const pages = artifacts.filter((a) => LINK_KINDS[a.kind] && a.url?.startsWith('/api/projects/'));
  if (!pages.length && !Object.keys(results).length) return null;
  const deployedLabel = results.deployed?.name.startsWith('preview/') ? 'Preview' : 'Staging';
  return (
    <ul
      aria-label="Build results"
      className="flex flex-wrap items-center gap-x-4 gap-y-1 border-t border-slate-100 px-5 py-2.5 text-sm text-slate-500"
    >
      {results.sessionId && (
        <li>
          <Link
            to={to.agentSession(slug, results.sessionId)}
            className="font-medium text-emerald-700 hover:underline"
          >
            Agent session
          </Link>
        </li>
      )}
      {results.deployed && (
        <li data-testid="deployed-link">
          {deployedLabel}{' '}
          <a
            href={results.deployed.url}
            target="_blank"
            rel="noreferrer"
            className="font-medium text-emerald-700 hover:underline"
            aria-label={`Open the ${facts.change ? 'preview' : 'staging app'}`}
          >
            {results.deployed.url}
          </a>
        </li>
      )}
      {results.verification && (
        <li
          data-testid="verification-result"
          data-passed={results.verification.passed}
          title={results.verification.summary}
          className={results.verification.passed ? 'text-emerald-800' : 'text-red-700'}
        >
          {results.verification.passed ? 'Verified in a browser' : 'Verification failed'}
          {results.verification.summary && (
            <span className="text-slate-500">: {results.verification.summary}</span>
          )}
        </li>
      )}
      {results.mergeRequest && (
        <li>
          <Link to={results.mergeRequest.path} className="hover:text-slate-900">
            Merge request <span className="font-medium text-emerald-700">{results.mergeRequest.name}</span>
          </Link>
        </li>
      )}
      {pages.map((a) => (
        <li key={a.eventId}>
          <Link to={a.url!.slice('/api'.length)} className="hover:text-slate-900">
            {LINK_KINDS[a.kind]}{' '}
            <span className="font-medium text-emerald-700">
              {a.kind === 'commit' && typeof a.data.sha === 'string' ? a.data.sha.slice(0, 7) : a.name}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Who writes the code and why: the template match the plan step logged, in the user's terms. */
export function BuildFactsLine({ facts }: { facts: BuildFacts }) {
  const { fit, runtime, change, request } = facts;
  if (!fit && !runtime && !change) return null;
  return (
    <div
      data-testid="build-facts"
      className="space-y-0.5 border-b border-slate-100 px-5 py-2 text-sm text-slate-600"
    >
      {change ? (
        <p>
          Change request{request ? <> “{request}”</> : null}: made by a coding agent on a branch of its own,
          deployed as a preview.
        </p>
      ) : runtime === 'llm-agent' ? (
        <p className="font-medium text-slate-800">
          Built by a coding agent (the closest template is a starting point).
        </p>
      ) : runtime === 'scaffold' ? (
        <p>Built from the template’s scaffold.</p>
      ) : null}
      {fit && !change && (
        <p data-testid="template-match" className="text-xs text-slate-500">
          Template match: <code className="text-slate-700">{fit.template}</code>, confidence{' '}
          {Math.round(fit.confidence * 100)} %. {fit.reason}
        </p>
      )}
    </div>
  );
}
