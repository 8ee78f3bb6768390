import { DomainError } from '../errors.ts';

/** The machine cannot isolate a job or app as asked; it is refused rather than run unprotected. */
export class SandboxUnavailableError extends DomainError {
  readonly code = 'sandbox_unavailable';
  readonly status = 503;
}
