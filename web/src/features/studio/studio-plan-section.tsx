import { type ReactNode, useId } from 'react';

/** One titled part of the Blueprint in the Plan pane. */
export function PlanSection({
  title,
  count,
  actions,
  children,
}: {
  title: string;
  count?: number;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="border-t border-slate-100 px-5 py-4 first:border-t-0">
      <div className="mb-2.5 flex items-center justify-between gap-3">
        <h3 id={id} className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
          {title}
          {count !== undefined && <span className="ml-1.5 font-normal text-slate-400">{count}</span>}
        </h3>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function PlanEmpty({ children }: { children: ReactNode }) {
  return <p className="text-sm text-slate-400 italic">{children}</p>;
}
