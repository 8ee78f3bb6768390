import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';

const TONES = {
  error: 'border-red-200 bg-red-50 text-red-800',
  success: 'border-emerald-200 bg-emerald-50 text-emerald-900',
  info: 'border-sky-200 bg-sky-50 text-sky-900',
  warning: 'border-amber-200 bg-amber-50 text-amber-900',
} as const;

export function Alert({
  tone = 'info',
  title,
  children,
}: {
  tone?: keyof typeof TONES;
  title?: string;
  children?: ReactNode;
}) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      className={`rounded-md border px-4 py-3 text-sm ${TONES[tone]}`}
    >
      {title && <p className="font-semibold">{title}</p>}
      {children && <div className={title ? 'mt-1' : ''}>{children}</div>}
    </div>
  );
}

/** The server's own words for what went wrong (problem+json `detail`). */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const detail =
    error instanceof ApiError
      ? error.detail
      : error instanceof Error
        ? error.message
        : 'Something went wrong.';
  return (
    <Alert tone="error" title={title}>
      {detail}
    </Alert>
  );
}

/** The top-level message of a failed form: only when no field error already says it. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiError && error.errors.length > 0) {
    const fields = Object.keys(error.fieldErrors());
    return <ErrorAlert error={new Error(`Check the highlighted field${fields.length > 1 ? 's' : ''}.`)} />;
  }
  return <ErrorAlert error={error} />;
}
