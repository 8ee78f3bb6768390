import { DomainError } from '../../../platform/errors.ts';
import type { CheckRow } from '../check-store.ts';
import type { MergeBlocker } from '../schemas.ts';

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
export function mergeBlockers(required: readonly string[], checks: readonly CheckRow[]): MergeBlocker[] {
  return required.flatMap((name) => {
    const check = checks.find((c) => c.name === name);
    if (check?.status === 'success') return [];
    return [
      {
        check: name,
        status: check?.status ?? 'missing',
        summary: check?.summary ?? '',
        message: sentence(name, check),
      },
    ];
  });
}

/**
 * A merge into a branch that requires checks, refused because some have not passed on the commit
 * it would bring in. The problem document lists them as `blockers`.
 */
export class RequiredChecksError extends DomainError {
  readonly code = 'required_checks';
  readonly status = 409;
  constructor(
    branch: string,
    sha: string,
    readonly blockers: MergeBlocker[],
  ) {
    super(
      `Merging into "${branch}" needs passing checks on ${sha.slice(0, 7)}: ${blockers.map((b) => b.message).join('; ')}. Push a fix or wait for the checks, then merge again.`,
      { blockers },
    );
  }
}
