import { useEffect, useState } from 'preact/hooks';

/** Re-renders the calling component every `ms` (relative times such as "5分前" stay true). */
export function useClock(ms: number): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
}
