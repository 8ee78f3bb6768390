import type { ReactNode } from 'react';
import { usePageTitle } from '../app/page-title.ts';

export interface PageHeaderProps {
  title: string;
  /** Tab title when it should differ from the heading. */
  documentTitle?: string;
  description?: ReactNode;
  meta?: ReactNode;
  actions?: ReactNode;
}

/** The page's one h1, which also names the browser tab. */
export function PageHeader({ title, documentTitle, description, meta, actions }: PageHeaderProps) {
  usePageTitle(documentTitle ?? title);
  return (
    <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {meta && <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-500">{meta}</div>}
        {description && <p className="mt-2 max-w-3xl text-sm text-slate-600">{description}</p>}
      </div>
      {actions && <div className="flex max-w-full shrink-0 flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}
