// Live updates from the server: one EventSource on /api/v1/events per signed-in tab.
// Features subscribe to named events with `on`; the connection state drives the header dot.

export type StreamState = 'connecting' | 'open' | 'closed';

export interface EventStream {
  /** Listens for a named server-sent event; returns a function that stops listening. */
  on(name: string, handler: (data: unknown) => void): () => void;
  close(): void;
}

export function openEventStream(onState: (state: StreamState) => void): EventStream {
  const source = new EventSource('/api/v1/events', { withCredentials: false });
  onState('connecting');
  source.onopen = () => onState('open');
  source.onerror = () => {
    // The browser retries by itself while readyState is CONNECTING.
    onState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
  };
  source.addEventListener('ping', () => onState('open'));

  return {
    on(name, handler) {
      const listener = (event: MessageEvent) => handler(parse(event.data));
      source.addEventListener(name, listener as EventListener);
      return () => source.removeEventListener(name, listener as EventListener);
    },
    close() {
      source.close();
      onState('closed');
    },
  };
}

function parse(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
