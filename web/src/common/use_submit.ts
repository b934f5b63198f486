import { useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { asApiError } from './use_resource';

/**
 * The submit handler of a form that calls the server: a second submit is ignored while `action`
 * runs (`busy`), and a failure is kept as the ApiError, not as text, so its message follows a
 * language switch.
 */
export function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return { submit, busy, error, setError };
}
