import { useRef } from 'react';
import { PANEL_LIMITS, resizePanel, type Panel } from '../stores/layoutStore';

/** Which edge of its panel the handle sits on, so dragging away from the panel makes it larger. */
type Edge = 'right' | 'left' | 'top';

const STEP = 24;

/** The handle on a panel's edge: drag it, or focus it and use the arrow keys, to resize the panel. */
export function Splitter({ panel, edge, label }: { panel: Panel; edge: Edge; label: string }) {
  const handle = useRef<HTMLDivElement>(null);
  const start = useRef<{ pointer: number; size: number } | null>(null);
  const size = () => {
    const box = handle.current?.parentElement?.getBoundingClientRect();
    return box ? (edge === 'top' ? box.height : box.width) : PANEL_LIMITS[panel].initial;
  };
  const position = (e: React.PointerEvent) => (edge === 'top' ? e.clientY : e.clientX);
  // Moving right grows a panel on the left; moving up grows the panel below.
  const sign = edge === 'right' ? 1 : -1;
  const limits = PANEL_LIMITS[panel];

  return (
    <div
      ref={handle}
      className={`splitter splitter-${edge}`}
      role="separator"
      tabIndex={0}
      aria-label={`Resize the ${label} panel`}
      aria-orientation={edge === 'top' ? 'horizontal' : 'vertical'}
      aria-valuemin={limits.min}
      aria-valuemax={limits.max}
      aria-valuenow={Math.round(size())}
      data-testid={`splitter-${panel}`}
      onPointerDown={(e) => {
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { pointer: position(e), size: size() };
      }}
      onPointerMove={(e) => {
        if (start.current) resizePanel(panel, start.current.size + sign * (position(e) - start.current.pointer));
      }}
      onPointerUp={(e) => {
        start.current = null;
        e.currentTarget.releasePointerCapture(e.pointerId);
      }}
      onKeyDown={(e) => {
        const grow = edge === 'top' ? { ArrowUp: 1, ArrowDown: -1 } : edge === 'right' ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowLeft: 1, ArrowRight: -1 };
        const direction = grow[e.key as keyof typeof grow];
        if (direction) {
          e.preventDefault();
          resizePanel(panel, size() + direction * STEP);
        }
      }}
    />
  );
}
