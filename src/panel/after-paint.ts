// Work the admin does not wait for, kept out of the frame that shows what they do wait for.
import { useEffect, useState } from 'preact/hooks';

/** Frames stop in a hidden tab: the work then runs after this long instead (timers there wait a second anyway). */
const HIDDEN_TAB_MS = 500;

/**
 * Runs `fn` once, in a task after the next frame: the DOM as it is now is painted first. A task queued now
 * would usually run before that frame and hold it back.
 */
export function afterPaint(fn: () => void): void {
  let ran = false;
  const run = (): void => {
    if (ran) return;
    ran = true;
    fn();
  };
  requestAnimationFrame(() => setTimeout(run, 0));
  setTimeout(run, HIDDEN_TAB_MS);
}

/**
 * `value` once a frame has been painted since it first stopped being null, and null until then: what
 * renders from it waits one frame behind the parts that take `value` itself, on first show only.
 */
export function useAfterFirstPaint<T>(value: T | null): T | null {
  const [painted, setPainted] = useState(false);
  const has = value !== null;
  useEffect(() => {
    if (!has || painted) return;
    let live = true;
    afterPaint(() => live && setPainted(true));
    return () => {
      live = false;
    };
  }, [has, painted]);
  return painted ? value : null;
}
