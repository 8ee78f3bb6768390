import { formatDateTime, formatRelative } from './format.ts';

/** "3 minutes ago", with the exact time on hover and for machines. */
export function TimeAgo({ iso, prefix }: { iso: string; prefix?: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {prefix ? `${prefix} ` : ''}
      {formatRelative(iso)}
    </time>
  );
}

/** When something was last used: `TimeAgo`, or "never". */
export function LastUsed({ at }: { at: string | null }) {
  return at ? <TimeAgo iso={at} /> : 'never';
}
