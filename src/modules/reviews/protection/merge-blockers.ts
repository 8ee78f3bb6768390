import { DomainError } from '../../../platform/errors.ts';
import type { CheckRow } from '../check-store.ts';
import type { CheckBlocker, MergeBlocker } from '../schemas.ts';

/** The first line of a check's summary, short enough for a sentence about it. */
function headline(summary: string): string {
  const line = summary.split('\n')[0]!.trim();
  return line.length > 160 ? `${line.slice(0, 159).trimEnd()}…` : line;
}

function sentence(name: string, check: CheckRow | undefined): string {
  if (!check) return `${name} has not reported on this commit`;
  const said = headline(check.summary);
  switch (check.status) {
    case 'pending':
      return `${name} has not started yet`;
    case 'running':
      return `${name} is still running`;
    case 'failure':
      return `${name} failed${said ? `: ${said}` : ''}`;
    case 'error':
      return `${name} could not run${said ? `: ${said}` : ''}`;
    case 'cancelled':
      return `${name} was cancelled`;
    case 'success':
      return `${name} passed`;
  }
}

/** Each required check that has not passed on the commit, with its status and a sentence. */
export function checkBlockers(required: readonly string[], checks: readonly CheckRow[]): CheckBlocker[] {
  return required.flatMap((name) => {
    const check = checks.find((c) => c.name === name);
    if (check?.status === 'success') return [];
    return [
      {
        kind: 'check' as const,
        check: name,
        status: check?.status ?? 'missing',
        summary: check?.summary ?? '',
        message: sentence(name, check),
      },
    ];
  });
}

/** What to do about the blockers, as the end of the problem's detail. */
function whatNext(blockers: readonly MergeBlocker[]): string {
  const kinds = new Set(blockers.map((b) => b.kind));
  const steps = [
    kinds.has('check') && 'push a fix or wait for the checks',
    kinds.has('approvals') && 'ask a developer other than the author to approve',
    kinds.has('changes_requested') &&
      'address the requested changes and ask the reviewer to approve or withdraw the request',
  ].filter((s): s is string => typeof s === 'string');
  const text = steps.join(', ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}, then merge again.`;
}

/**
 * A merge into a protected branch refused because of what its rule requires on the commit it
 * would bring in: checks that have not passed, too few approvals, changes requested. The problem
 * document lists each as `blockers` (the `code` is `required_checks`, as before approvals existed).
 */
export class RequiredChecksError extends DomainError {
  readonly code = 'required_checks';
  readonly status = 409;
  constructor(
    branch: string,
    sha: string,
    readonly blockers: MergeBlocker[],
  ) {
    const list = blockers.map((b) => b.message).join('; ');
    super(
      blockers.every((b) => b.kind === 'check')
        ? `Merging into "${branch}" needs passing checks on ${sha.slice(0, 7)}: ${list}. Push a fix or wait for the checks, then merge again.`
        : `Merging into "${branch}" is blocked on ${sha.slice(0, 7)}: ${list}. ${whatNext(blockers)}`,
      { blockers },
    );
  }
}
