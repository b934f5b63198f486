import { useEffect, useRef } from 'preact/hooks';
import { WATCH_ALERT_EVENT } from '../api/watch';
import { isAlertEvent, type AlertEvent } from '../api/watch_alerts';
import { eventStream, useStreamState } from '../common/session';

/**
 * Listens to the "watch.alert" events of the live-update stream: `onEvent` for each one, and
 * `onReconnect` after the stream comes back from a break (events may have been missed then).
 */
export function useAlertEvents(onEvent: (event: AlertEvent) => void, onReconnect: () => void): void {
  const handlers = useRef({ onEvent, onReconnect });
  handlers.current = { onEvent, onReconnect };
  const streamState = useStreamState();
  const wasOpen = useRef(streamState === 'open');
  const lastState = useRef(streamState);

  useEffect(() => {
    const stream = eventStream();
    if (!stream) return undefined;
    return stream.on(WATCH_ALERT_EVENT, (data) => {
      if (isAlertEvent(data)) handlers.current.onEvent(data);
    });
  }, []);

  useEffect(() => {
    const previous = lastState.current;
    lastState.current = streamState;
    if (streamState !== 'open') return;
    if (wasOpen.current && previous !== 'open') handlers.current.onReconnect();
    wasOpen.current = true;
  }, [streamState]);
}
