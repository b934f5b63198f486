import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';

export type Resource<T> =
  | { state: 'loading' }
  | { state: 'ok'; data: T }
  | { state: 'error'; error: ApiError };

/**
 * Loads `load` when `deps` change; aborts the previous load. `reload` loads again.
 * Errors that are not ApiError are reported as code "unexpected".
 */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): [Resource<T>, () => void] {
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setResource((prev) => (prev.state === 'loading' ? prev : { state: 'loading' }));
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setResource({ state: 'ok', data });
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setResource({ state: 'error', error: asApiError(err) });
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return [resource, reload];
}

export function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  console.error(err);
  return new ApiError(0, 'unexpected', err instanceof Error ? err.message : String(err));
}
