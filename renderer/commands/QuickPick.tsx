import { useMemo, useState } from 'react';
import { Dialog } from '../panels/Dialog';
import type { PickItem } from '../stores/uiStore';
import { fuzzyFilter } from '../../shared/commands/fuzzy';

interface Props {
  title: string;
  placeholder: string;
  items: readonly PickItem[];
  empty: string;
  onClose(): void;
}

const SHOWN = 60;

/**
 * Type to filter, arrows to move, Enter to choose: the command palette and every "pick one"
 * list (connect to…, disconnect…) are this one list.
 */
export function QuickPick({ title, placeholder, items, empty, onClose }: Props) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const shown = useMemo(() => fuzzyFilter(items, query, (item) => [item.label, item.detail ?? '']).slice(0, SHOWN), [items, query]);
  const at = Math.min(active, Math.max(0, shown.length - 1));

  const choose = (item: PickItem | undefined) => {
    if (!item || item.disabled) return;
    onClose();
    item.run();
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0 && shown.length > 0) {
      e.preventDefault();
      setActive((at + step + shown.length) % shown.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(shown[at]);
    }
  };

  return (
    <Dialog title={title} onClose={onClose} className="quick-pick" testId="quick-pick">
      <input
        className="quick-pick-input"
        data-autofocus
        placeholder={placeholder}
        aria-label={placeholder}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        role="combobox"
        aria-expanded="true"
        aria-controls="quick-pick-list"
        aria-activedescendant={shown[at] ? `pick-${at}` : undefined}
      />
      <ul className="quick-pick-list" id="quick-pick-list" role="listbox" aria-label={title}>
        {shown.map((item, i) => (
          <li
            key={item.id}
            id={`pick-${i}`}
            role="option"
            aria-selected={i === at}
            aria-disabled={item.disabled ? true : undefined}
            className={`pick${i === at ? ' active' : ''}${item.disabled ? ' disabled' : ''}`}
            onMouseMove={() => setActive(i)}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(item)}
            title={item.disabled || undefined}
          >
            <span className="pick-label">{item.label}</span>
            {item.detail && <span className="pick-detail">{item.detail}</span>}
            {item.disabled ? <span className="pick-hint">{item.disabled}</span> : item.hint && <kbd className="pick-hint">{item.hint}</kbd>}
          </li>
        ))}
        {shown.length === 0 && <li className="pick-empty">{items.length === 0 ? empty : `Nothing matches “${query}”.`}</li>}
      </ul>
    </Dialog>
  );
}
