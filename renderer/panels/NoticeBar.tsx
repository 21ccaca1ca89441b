import { useUiStore } from '../stores/uiStore';

export function NoticeBar() {
  const notice = useUiStore((s) => s.notice);
  const dismiss = useUiStore((s) => s.dismiss);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
      <span>{notice.text}</span>
      <button onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
