import { buttonClass } from '../../widgets/button.tsx';
import { exportUrl } from './conversation-queries.ts';

/** Downloads of the whole conversation: Markdown to read or paste, JSON to process. */
export function ExportButtons({ id }: { id: string }) {
  return (
    <div className="flex items-center gap-2">
      <a href={exportUrl(id, 'markdown')} download className={buttonClass('secondary', 'sm')}>
        Download Markdown
      </a>
      <a href={exportUrl(id, 'json')} download className={buttonClass('secondary', 'sm')}>
        Download JSON
      </a>
    </div>
  );
}
