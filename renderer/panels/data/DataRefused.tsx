import { canChooseData, chooseRefused } from './chooseData';
import type { UserSource } from '../../../shared/data/source';

/**
 * A dataset the Backend will not read: one it may not (FORBIDDEN), a device, or a file too
 * big (FILE_REFUSED). The project keeps its source; on the desktop, Choose… lets NetCanvas read the path.
 */
export function DataRefused({ source, code, message }: { source: UserSource | null; code: string | null; message: string }) {
  const labelsRefused = source !== null && 'labels' in source && !!source.labels && message.includes(source.labels) && !message.includes(`${source.path}:`);
  const fixable = source !== null && code === 'FORBIDDEN' && canChooseData();
  return (
    <div className="data-unreadable" role="alert" data-testid="data-refused">
      <strong>NetCanvas will not read this data.</strong> {message}{' '}
      {fixable && (
        <button type="button" data-testid="data-refused-choose" onClick={() => void chooseRefused(source, labelsRefused ? 'labels' : 'path')}>
          Choose…
        </button>
      )}
    </div>
  );
}
