import { lazy, Suspense } from 'react';
import type { MarkdownViewProps } from './markdown-view.tsx';

export type { ResolveUrl } from './markdown-view.tsx';

// The parser, sanitiser and highlighter are a chunk of their own, fetched the first time a page
// shows Markdown; meanwhile the text shows as it was written.
const MarkdownView = lazy(() => import('./markdown-view.tsx').then((m) => ({ default: m.MarkdownView })));

/** User-written Markdown (descriptions, comments, READMEs), rendered safely. */
export function Markdown(props: MarkdownViewProps) {
  return (
    <Suspense
      fallback={
        <div className={`text-sm whitespace-pre-wrap text-slate-800 ${props.className ?? ''}`}>
          {props.text}
        </div>
      }
    >
      <MarkdownView {...props} />
    </Suspense>
  );
}
