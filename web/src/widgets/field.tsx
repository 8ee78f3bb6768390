import { type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes, useId } from 'react';

const CONTROL =
  'block w-full rounded-md border bg-white px-3 py-2 text-sm text-slate-900 shadow-xs placeholder:text-slate-400 outline-none transition focus:border-emerald-600 focus:ring-2 focus:ring-emerald-600/20 disabled:bg-slate-50 disabled:text-slate-500';

const border = (error?: string) =>
  error ? 'border-red-500 focus:border-red-500 focus:ring-red-500/20' : 'border-slate-300';

/** The classes of a text control, red while it has an error. */
export const controlClass = (error?: string) => `${CONTROL} ${border(error)}`;

interface FieldShellProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  optional?: boolean;
  /** Beside the label, at the right (the Markdown editor's Write/Preview tabs). */
  aside?: ReactNode;
  children: ReactNode;
}

/** Label, control, then its hint or error: the frame of every field. */
export function FieldShell({ id, label, hint, error, optional, aside, children }: FieldShellProps) {
  const labelElement = (
    <label htmlFor={id} className="block text-sm font-medium text-slate-800">
      {label}
      {optional && <span className="ml-1 font-normal text-slate-500">(optional)</span>}
    </label>
  );
  return (
    <div className="space-y-1.5">
      {aside ? (
        <div className="flex flex-wrap items-end justify-between gap-2">
          {labelElement}
          {aside}
        </div>
      ) : (
        labelElement
      )}
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** Hint and error are tied to the control, so a screen reader reads them with the label. */
export function describedBy(id: string, hint: unknown, error?: string) {
  if (error) return `${id}-error`;
  return hint ? `${id}-hint` : undefined;
}

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  hint?: ReactNode;
  error?: string;
  optional?: boolean;
}

export function TextField({ label, hint, error, optional, className = '', ...input }: TextFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      <input
        {...input}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={`${CONTROL} ${border(error)} ${className}`}
      />
    </FieldShell>
  );
}

export interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: string;
  hint?: ReactNode;
  error?: string;
  optional?: boolean;
}

export function TextAreaField({
  label,
  hint,
  error,
  optional,
  className = '',
  ...input
}: TextAreaFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional}>
      <textarea
        rows={3}
        {...input}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        className={`${CONTROL} ${border(error)} ${className}`}
      />
    </FieldShell>
  );
}

export const selectClass = `${CONTROL} border-slate-300`;
