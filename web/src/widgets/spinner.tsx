export function Spinner({ className = 'size-5' }: { className?: string }) {
  return (
    <svg className={`animate-spin ${className}`} viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <circle cx="12" cy="12" r="10" stroke="currentColor" strokeOpacity="0.25" strokeWidth="4" />
      <path d="M22 12a10 10 0 0 0-10-10" stroke="currentColor" strokeWidth="4" strokeLinecap="round" />
    </svg>
  );
}

/** A polite "loading" for a region; `label` is what a screen reader hears. */
export function Loading({ label = 'Loading…', className = '' }: { label?: string; className?: string }) {
  return (
    <div role="status" className={`flex items-center gap-2 py-6 text-sm text-slate-500 ${className}`}>
      <Spinner className="size-4" />
      <span>{label}</span>
    </div>
  );
}

export function FullPageLoading() {
  return (
    <div className="grid min-h-screen place-items-center">
      <Loading />
    </div>
  );
}
