import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { BackupFile, BackupListing } from '../../api/admin-types.ts';
import { api } from '../../api/client.ts';
import type { OperationDetail } from '../../api/operation-types.ts';
import { keys } from '../../api/query-keys.ts';
import { Link } from '../../app/router.tsx';
import { Alert, ErrorAlert } from '../../widgets/alert.tsx';
import { Badge } from '../../widgets/badge.tsx';
import { Button } from '../../widgets/button.tsx';
import { Card } from '../../widgets/card.tsx';
import { formatBytes, formatDateTime } from '../../widgets/format.ts';
import { Loading } from '../../widgets/spinner.tsx';
import { useLiveOperation } from '../operations/live-operation.ts';

/**
 * The Backups tab: the archives in the backup folder, the schedule in force, and "Back up now",
 * which starts a `backup.create` operation and follows it live (each part it writes, then its
 * verification by a restore into a scratch database).
 */
export function BackupsPanel() {
  const listing = useQuery({
    queryKey: keys.backups,
    queryFn: () => api.get<BackupListing>('/api/admin/backups'),
  });
  return (
    <div className="space-y-6">
      <BackUpNowCard />
      <Card
        title="Archives"
        description="Each holds the database, every repository, the blobs, the apps' data and releases, encrypted under the master key and checked by a restore when it was made."
      >
        {listing.isPending ? (
          <Loading label="Loading…" />
        ) : listing.isError ? (
          <ErrorAlert error={listing.error} />
        ) : (
          <Archives listing={listing.data} />
        )}
      </Card>
    </div>
  );
}

function BackUpNowCard() {
  const client = useQueryClient();
  const [operationId, setOperationId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () => api.post<OperationDetail>('/api/operations', { kind: 'backup.create', input: {} }),
    onSuccess: (operation) => setOperationId(operation.id),
  });
  const { live } = useLiveOperation(operationId, {
    onComplete: () => void client.invalidateQueries({ queryKey: keys.backups }),
  });
  const running = Boolean(operationId) && !live.done;
  const lastLine = live.logs.at(-1)?.text;
  return (
    <Card
      title="Back up now"
      description="Writes one archive now, verifies it and keeps the newest as configured. Orchard keeps answering meanwhile."
    >
      <div className="space-y-3">
        <ErrorAlert error={start.error} />
        {operationId && (
          <div aria-live="polite" className="space-y-1 text-sm">
            <p>
              <Link to={`/operations/${operationId}`} className="font-medium text-emerald-800 underline">
                Backup operation
              </Link>{' '}
              <Badge
                tone={live.status === 'failed' ? 'red' : live.status === 'succeeded' ? 'green' : 'neutral'}
              >
                {live.status === 'unknown' ? 'starting' : live.status}
              </Badge>
            </p>
            {lastLine && !live.done && <p className="truncate text-slate-600">{lastLine}</p>}
            {live.done && live.status === 'succeeded' && (
              <Alert tone="success">The archive is written and verified.</Alert>
            )}
            {live.done && live.status === 'failed' && (
              <Alert tone="error" title="The backup failed">
                {live.error ?? 'See the operation for its log.'}
              </Alert>
            )}
          </div>
        )}
        <Button busy={start.isPending || running} onClick={() => start.mutate()}>
          Back up now
        </Button>
      </div>
    </Card>
  );
}

function Archives({ listing }: { listing: BackupListing }) {
  const schedule = listing.intervalHours
    ? `Every ${listing.intervalHours} hour${listing.intervalHours === 1 ? '' : 's'}`
    : 'No schedule (set backup.intervalHours)';
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-700">Folder</dt>
        <dd className="break-all text-slate-600">{listing.dir}</dd>
        <dt className="font-medium text-slate-700">Schedule</dt>
        <dd className="text-slate-600">{schedule}</dd>
        <dt className="font-medium text-slate-700">Kept</dt>
        <dd className="text-slate-600">the newest {listing.keep}</dd>
        <dt className="font-medium text-slate-700">Verified</dt>
        <dd className="text-slate-600">
          {listing.verify ? 'yes, each by a restore into a scratch database' : 'no'}
        </dd>
      </dl>
      {listing.failed.length > 0 && (
        <Alert tone="error" title="Archives that failed their verification">
          {listing.failed.map((f) => f.name).join(', ')} — kept for inspection, not counted as backups.
        </Alert>
      )}
      {listing.archives.length === 0 ? (
        <p className="text-sm text-slate-600">No archive yet.</p>
      ) : (
        <table className="stack-table w-full text-left text-sm">
          <caption className="sr-only">Backup archives, newest first</caption>
          <thead className="text-slate-500">
            <tr>
              <th className="py-1 pr-4 font-medium">Made</th>
              <th className="py-1 pr-4 font-medium">Archive</th>
              <th className="py-1 font-medium">Size</th>
            </tr>
          </thead>
          <tbody>
            {listing.archives.map((archive) => (
              <ArchiveRow key={archive.name} archive={archive} />
            ))}
          </tbody>
        </table>
      )}
      <p className="text-sm text-slate-600">
        Restore one on a fresh machine with{' '}
        <code className="rounded bg-slate-100 px-1">
          orchard restore &lt;archive&gt; --master-key-file &lt;key&gt;
        </code>
        ; keep the master key apart from the archives.
      </p>
    </div>
  );
}

function ArchiveRow({ archive }: { archive: BackupFile }) {
  return (
    <tr className="border-t border-slate-100">
      <td data-label="Made" className="py-1 pr-4 whitespace-nowrap">
        {formatDateTime(archive.createdAt)}
      </td>
      <td data-label="Archive" className="py-1 pr-4 break-all font-mono text-xs">
        {archive.name}
      </td>
      <td data-label="Size" className="py-1 whitespace-nowrap">
        {formatBytes(archive.bytes)}
      </td>
    </tr>
  );
}
