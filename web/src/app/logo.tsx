/** The wordmark: a small tree and "Orchard"; `narrow` drops the word on small screens. */
export function Logo({ narrow = false }: { narrow?: boolean }) {
  return (
    <span className="inline-flex items-center gap-2 font-semibold tracking-tight text-slate-900">
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden="true">
        <rect width="32" height="32" rx="8" className="fill-emerald-700" />
        <circle cx="16" cy="13" r="7" className="fill-emerald-300" />
        <circle cx="13" cy="12" r="1.6" className="fill-rose-500" />
        <circle cx="19" cy="15" r="1.6" className="fill-rose-500" />
        <rect x="15" y="19" width="2" height="7" rx="1" className="fill-amber-100" />
      </svg>
      <span className={narrow ? 'hidden text-lg sm:inline' : 'text-lg'}>Orchard</span>
    </span>
  );
}
