import { type ComponentProps, memo } from 'react';
import ReactMarkdown, { type Components, defaultUrlTransform, type Options } from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import './markdown.css';
import { Link } from '../app/router.tsx';
import { rehypeHighlight } from './markdown-highlight.ts';
import { linkKind, markdownSchema, rehypeRawAsText } from './markdown-rules.ts';

/** Maps an address written in the Markdown (already known safe) to the one to use. */
export type ResolveUrl = (url: string, kind: 'link' | 'image') => string;

export interface MarkdownViewProps {
  text: string;
  /** Where relative links and images point (a README's are relative to its directory). */
  resolveUrl?: ResolveUrl;
  className?: string;
}

const remarkPlugins: Options['remarkPlugins'] = [remarkGfm];
// Order matters: raw HTML becomes text, the sanitiser removes what is not allowed, and only then
// are code blocks highlighted (so the sanitiser never has to allow highlight.js's classes).
const rehypePlugins: Options['rehypePlugins'] = [
  rehypeRawAsText,
  [rehypeSanitize, markdownSchema],
  rehypeHighlight,
];

// Outside a browser (unit tests) relative links still count as this app's.
const origin = () => (typeof location === 'undefined' ? 'http://orchard.invalid' : location.origin);

function MarkdownLink({ href, children, node: _node, ...rest }: ComponentProps<'a'> & { node?: unknown }) {
  if (!href) return <span>{children}</span>;
  const kind = linkKind(href, origin());
  if (kind === 'in-app') {
    const url = new URL(href, origin());
    return (
      <Link {...rest} to={`${url.pathname}${url.search}${url.hash}`} rel="noopener noreferrer">
        {children}
      </Link>
    );
  }
  return (
    <a {...rest} href={href} rel="noopener noreferrer" {...(kind === 'external' && { target: '_blank' })}>
      {children}
    </a>
  );
}

function MarkdownImage({ src, alt, node: _node, ...rest }: ComponentProps<'img'> & { node?: unknown }) {
  // The sanitiser removed a src that was not http(s): say what the image was instead.
  if (!src) return alt ? <span className="text-slate-500 italic">[{alt}]</span> : null;
  return <img {...rest} src={src} alt={alt ?? ''} loading="lazy" referrerPolicy="no-referrer" />;
}

function MarkdownTable({ node: _node, ...rest }: ComponentProps<'table'> & { node?: unknown }) {
  return (
    <div className="markdown-table">
      <table {...rest} />
    </div>
  );
}

const components: Components = { a: MarkdownLink, img: MarkdownImage, table: MarkdownTable };

/** Markdown (CommonMark and GFM) rendered to React elements: sanitised, code highlighted. */
export const MarkdownView = memo(function MarkdownView({
  text,
  resolveUrl,
  className = '',
}: MarkdownViewProps) {
  const urlTransform: Options['urlTransform'] = (url, key) => {
    const safe = defaultUrlTransform(url);
    return resolveUrl && safe ? resolveUrl(safe, key === 'src' ? 'image' : 'link') : safe;
  };
  return (
    <div className={className ? `markdown ${className}` : 'markdown'}>
      <ReactMarkdown
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
        components={components}
        urlTransform={urlTransform}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
});
