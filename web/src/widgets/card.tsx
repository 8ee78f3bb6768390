import { type ReactNode, useId } from 'react';

export interface CardProps {
  title?: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  /** Content that should reach the card edges (tables, lists). */
  flush?: boolean;
}

/** A titled section; the title is a heading so pages read as an outline. */
export function Card({ title, description, actions, children, className = '', flush }: CardProps) {
  const id = useId();
  const headingId = title ? id : undefined;
  return (
    <section
      aria-labelledby={headingId}
      className={`rounded-lg border border-slate-200 bg-white shadow-xs ${className}`}
    >
      {(title || actions) && (
        <header className="flex flex-wrap items-start justify-between gap-x-4 gap-y-3 border-b border-slate-200 px-5 py-4">
          <div>
            {title && (
              <h2 id={headingId} className="text-base font-semibold text-slate-900">
                {title}
              </h2>
            )}
            {description && <p className="mt-0.5 text-sm text-slate-500">{description}</p>}
          </div>
          {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
        </header>
      )}
      <div className={flush ? '' : 'px-5 py-4'}>{children}</div>
    </section>
  );
}
