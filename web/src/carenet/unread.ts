// The number of unread team-timeline posts for the navigation badge. Loaded when a signed-in user
// who may read the care network opens the app, again on each `carenet.post` event and whenever a
// page marks posts read (refreshUnread).
import { useEffect } from 'preact/hooks';
import { getUnread, isPostEvent, POST_EVENT } from '../api/carenet';
import { eventStream, useStreamState } from '../common/session';
import { createStore, useStore } from '../common/store';

const unreadStore = createStore<number>(0);
let inFlight: Promise<void> | null = null;

export function refreshUnread(): Promise<void> {
  if (inFlight) return inFlight;
  inFlight = getUnread()
    .then((summary) => unreadStore.set(summary.total))
    .catch(() => {
      // The badge is a convenience: a failed count leaves the last one.
    })
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}

/** The unread total; `enabled` is false for users without the permission (no request then). */
export function useCarenetUnread(enabled: boolean): number {
  const total = useStore(unreadStore);
  const stream = useStreamState();
  useEffect(() => {
    if (!enabled) return undefined;
    void refreshUnread();
    const source = eventStream();
    const stop = source?.on(POST_EVENT, (data) => {
      if (isPostEvent(data)) void refreshUnread();
    });
    return () => stop?.();
    // Re-subscribe when the stream (re)opens after sign-in.
  }, [enabled, stream === 'closed']);
  return enabled ? total : 0;
}
