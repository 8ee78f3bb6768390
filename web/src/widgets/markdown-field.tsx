import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { controlClass, describedBy, FieldShell, type TextAreaFieldProps } from './field.tsx';
import { Markdown } from './markdown.tsx';

type Mode = 'write' | 'preview';
const MODES: Array<{ mode: Mode; label: string }> = [
  { mode: 'write', label: 'Write' },
  { mode: 'preview', label: 'Preview' },
];

/**
 * A textarea for Markdown with Write and Preview tabs (the WAI-ARIA tabs pattern: arrow keys,
 * Home and End move between them). The textarea stays in the form while the preview shows, so the
 * form submits and resets it as any other field.
 */
export function MarkdownField({
  label,
  hint = 'Markdown is supported: headings, lists, links, tables and code blocks.',
  error,
  optional,
  className = '',
  ...textarea
}: TextAreaFieldProps) {
  const id = useId();
  const [mode, setMode] = useState<Mode>('write');
  const [preview, setPreview] = useState({ text: '', minHeight: 0 });
  const input = useRef<HTMLTextAreaElement>(null);
  const tabs = useRef<Record<Mode, HTMLButtonElement | null>>({ write: null, preview: null });
  const tabId = (m: Mode) => `${id}-${m}-tab`;
  const panelId = (m: Mode) => `${id}-${m}`;

  function show(next: Mode) {
    if (next === 'preview' && input.current)
      setPreview({ text: input.current.value, minHeight: input.current.offsetHeight });
    setMode(next);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const at = MODES.findIndex((m) => m.mode === mode);
    const target = {
      ArrowRight: MODES[(at + 1) % MODES.length],
      ArrowLeft: MODES[(at - 1 + MODES.length) % MODES.length],
      Home: MODES[0],
      End: MODES[MODES.length - 1],
    }[event.key]?.mode;
    if (!target) return;
    event.preventDefault();
    show(target);
    tabs.current[target]?.focus();
  }

  // A form reset (a comment was posted) empties the textarea: show it again, not the old preview.
  useEffect(() => {
    const form = input.current?.form;
    if (!form) return;
    const onReset = () => setMode('write');
    form.addEventListener('reset', onReset);
    return () => form.removeEventListener('reset', onReset);
  }, []);

  const tablist = (
    <div
      role="tablist"
      aria-label="Write or preview"
      onKeyDown={onKeyDown}
      className="flex rounded-md bg-slate-100 p-0.5"
    >
      {MODES.map((m) => (
        <button
          key={m.mode}
          ref={(el) => {
            tabs.current[m.mode] = el;
          }}
          type="button"
          role="tab"
          id={tabId(m.mode)}
          aria-selected={mode === m.mode}
          aria-controls={panelId(m.mode)}
          tabIndex={mode === m.mode ? 0 : -1}
          onClick={() => show(m.mode)}
          className={`rounded px-2.5 py-1 text-xs font-medium outline-none transition focus-visible:ring-2 focus-visible:ring-emerald-600/40 ${
            mode === m.mode ? 'bg-white text-slate-900 shadow-xs' : 'text-slate-600 hover:text-slate-900'
          }`}
        >
          {m.label}
        </button>
      ))}
    </div>
  );

  return (
    <FieldShell id={id} label={label} hint={hint} error={error} optional={optional} aside={tablist}>
      <div role="tabpanel" id={panelId('write')} aria-labelledby={tabId('write')} hidden={mode !== 'write'}>
        <textarea
          rows={3}
          {...textarea}
          ref={input}
          id={id}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          // The browser cannot point at a field it cannot see: go back to it first.
          onInvalid={() => flushSync(() => setMode('write'))}
          className={`${controlClass(error)} ${className}`}
        />
      </div>
      {mode === 'preview' && (
        <div
          role="tabpanel"
          id={panelId('preview')}
          aria-labelledby={tabId('preview')}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the APG tabs pattern: a panel is focusable so it can be scrolled
          tabIndex={0}
          style={{ minHeight: preview.minHeight || undefined }}
          className="overflow-auto rounded-md border border-slate-300 bg-white px-3 py-2 outline-none focus-visible:ring-2 focus-visible:ring-emerald-600/20"
        >
          {preview.text.trim() ? (
            <Markdown text={preview.text} />
          ) : (
            <p className="text-sm text-slate-500 italic">Nothing to preview.</p>
          )}
        </div>
      )}
    </FieldShell>
  );
}
