// The drag handle on the panel's left edge (also usable with the arrow keys).
import type { JSX } from 'preact';
import { useRef } from 'preact/hooks';
import { MIN_WIDTH } from '../storage';
import { t } from '../i18n';
import { TESTIDS } from '../testids';

export interface ResizerProps {
  width: number;
  /** While dragging (not yet remembered). */
  onResize(width: number): void;
  /** When the drag or key press ends: remember the width. */
  onCommit(width: number): void;
}

const KEY_STEP = 40;

/** Between the minimum and the window width less a margin to reach the portal. */
export function clampWidth(w: number, viewportWidth: number): number {
  const max = Math.max(MIN_WIDTH, viewportWidth - 80);
  return Math.round(Math.min(max, Math.max(MIN_WIDTH, w)));
}

const viewportWidth = (): number => (typeof window !== 'undefined' ? window.innerWidth : 1920);

export function Resizer({ width, onResize, onCommit }: ResizerProps): JSX.Element {
  const drag = useRef<{ startX: number; startWidth: number; last: number } | null>(null);

  const onPointerDown = (e: PointerEvent): void => {
    const el = e.currentTarget as HTMLElement;
    drag.current = { startX: e.clientX, startWidth: width, last: width };
    el.setPointerCapture?.(e.pointerId);
    e.preventDefault();
  };
  const onPointerMove = (e: PointerEvent): void => {
    const d = drag.current;
    if (!d) return;
    // Docked right: dragging the left edge leftwards widens the panel.
    d.last = clampWidth(d.startWidth + (d.startX - e.clientX), viewportWidth());
    onResize(d.last);
  };
  const end = (): void => {
    const d = drag.current;
    drag.current = null;
    if (d) onCommit(d.last);
  };
  const onKeyDown = (e: KeyboardEvent): void => {
    const delta = e.key === 'ArrowLeft' ? KEY_STEP : e.key === 'ArrowRight' ? -KEY_STEP : 0;
    if (!delta) return;
    e.preventDefault();
    const next = clampWidth(width + delta, viewportWidth());
    onResize(next);
    onCommit(next);
  };

  return (
    <div
      class="resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={t('resizer_label')}
      aria-valuenow={width}
      aria-valuemin={MIN_WIDTH}
      tabIndex={0}
      data-testid={TESTIDS.resizer}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={end}
      onPointerCancel={end}
      onKeyDown={onKeyDown}
    />
  );
}
