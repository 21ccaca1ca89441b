import { useEffect, useRef, useState } from 'react';

/**
 * The latest `value`, handed on at most once every `ms` while `live`. Runs stream ten bursts
 * a second; redrawing a chart a few times a second looks as live and leaves frames for the
 * rest of the page. Once the stream ends the value passes straight through, so the last
 * points show the moment a run stops; so does the first value for a new `source`.
 */
export function useThrottled<T>(value: T, ms: number, live: boolean, source: string): T {
  const [shown, setShown] = useState({ value, source });
  const last = useRef(0);
  useEffect(() => {
    const show = () => {
      last.current = performance.now();
      setShown({ value, source });
    };
    const wait = last.current + ms - performance.now();
    if (!live || wait <= 0) {
      show();
      return;
    }
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [value, ms, live, source]);
  return live && shown.source === source ? shown.value : value;
}
