/** A stack trace as it was sent, scrolling in its own box (reachable by keyboard). */
export function StackTrace({ stack, label = 'Stack trace' }: { stack: string; label?: string }) {
  return (
    <section aria-label={label}>
      <pre
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the stack scrolls, so keyboard users must reach it
        tabIndex={0}
        className="max-h-96 overflow-auto rounded-md bg-slate-900 p-4 font-mono text-xs leading-relaxed text-slate-100 focus-visible:outline-2 focus-visible:outline-emerald-600"
      >
        {stack}
      </pre>
    </section>
  );
}
