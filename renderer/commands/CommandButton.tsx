import type { ReactNode } from 'react';
import { runCommand } from './handlers';
import { commandTitle, useCommandDisabled } from './useCommand';
import { getCommand, type CommandId } from '../../shared/commands/registry';

interface Props {
  id: CommandId;
  /** What the button shows; the command's label when left out. */
  children?: ReactNode;
  className?: string;
}

/** A toolbar button that is a view of a registered command: its label, shortcut and enabled state. */
export function CommandButton({ id, children, className }: Props) {
  const disabled = useCommandDisabled(id);
  const label = getCommand(id).label;
  return (
    <button className={className} onClick={() => runCommand(id)} disabled={disabled !== null} title={disabled ?? commandTitle(id)} aria-label={label} data-command={id}>
      {children ?? label}
    </button>
  );
}
