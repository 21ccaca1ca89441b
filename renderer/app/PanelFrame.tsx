import type { ReactNode } from 'react';
import { Splitter } from './Splitter';
import { togglePanel, useLayoutStore, type Panel } from '../stores/layoutStore';

interface Props {
  panel: Panel;
  /** The panel's name in buttons: "layers", "inspector", "training". */
  label: string;
  /** Which edge faces the canvas, where its resize handle is. */
  edge: 'right' | 'left' | 'top';
  className: string;
  ariaLabel: string;
  children: ReactNode;
}

const ARROWS = { right: ['‹', '›'], left: ['›', '‹'], top: ['▾', '▴'] } as const;

/** A panel beside the canvas: resizable by its edge, folded to a strip and back, remembered. */
export function PanelFrame({ panel, label, edge, className, ariaLabel, children }: Props) {
  const open = useLayoutStore((s) => s.open[panel]);
  const [hide, show] = ARROWS[edge];
  if (!open) {
    return (
      <div className={`${className} panel-strip strip-${edge}`} data-testid={`strip-${panel}`}>
        <button className="strip-button" onClick={() => togglePanel(panel, true)} aria-label={`Show the ${label} panel`} title={`Show the ${label} panel`}>
          {show} <span className="strip-label">{label}</span>
        </button>
      </div>
    );
  }
  return (
    <aside className={`${className} panel`} aria-label={ariaLabel} data-testid={`panel-${panel}`}>
      <button className={`collapse-button collapse-${edge}`} onClick={() => togglePanel(panel, false)} aria-label={`Hide the ${label} panel`} title={`Hide the ${label} panel`}>
        {hide}
      </button>
      {children}
      <Splitter panel={panel} edge={edge} label={label} />
    </aside>
  );
}
