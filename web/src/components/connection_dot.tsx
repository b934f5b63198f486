import { t } from '../common/i18n';
import { useStreamState } from '../common/session';
import './connection_dot.css';

/** Small live-update indicator: green while the event stream is open. */
export function ConnectionDot() {
  const state = useStreamState();
  const label = t(state === 'open' ? 'stream.open' : state === 'connecting' ? 'stream.connecting' : 'stream.closed');
  return (
    <span class="connection" data-state={state} title={label} data-testid="connection-dot">
      <span class="connection-dot" aria-hidden="true" />
      <span class="visually-hidden" role="status">
        {label}
      </span>
    </span>
  );
}
