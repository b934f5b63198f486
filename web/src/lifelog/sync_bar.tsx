import { t, useLang } from '../common/i18n';
import { useSession } from '../common/session';
import { flush, useOnline, useOutbox, useSending } from './outbox';

/**
 * The line at the top of the life-record pages: connected or not, and how many records of this
 * device are not sent yet (未送信 N件), with "send now". Conflicts and refusals are counted apart,
 * since they wait for the user, not for the network.
 */
export function SyncBar({ person }: { person?: number }) {
  useLang();
  const session = useSession();
  const online = useOnline() && !(session.status === 'signed_in' && session.offline);
  const sending = useSending();
  const entries = useOutbox().filter((e) => person === undefined || e.person === person);
  const pending = entries.filter((e) => e.state === 'pending').length;
  const waiting = entries.length - pending;
  return (
    <div class="ll-sync" data-testid="lifelog-sync" data-online={online ? 'true' : 'false'}>
      <span class="ll-conn" data-state={online ? 'online' : 'offline'} data-testid="lifelog-connection">
        <span class="ll-conn-dot" aria-hidden="true" />
        <span role="status">{online ? t('lifelog.sync.online') : t('lifelog.sync.offline')}</span>
      </span>
      {pending > 0 ? (
        <span class="badge badge-pending ll-pending-badge" data-testid="lifelog-pending-badge" data-count={pending}>
          {t('lifelog.sync.pending_count', { count: pending })}
        </span>
      ) : null}
      {waiting > 0 ? (
        <a href="#ll-attention" class="badge badge-outcome-denied" data-testid="lifelog-attention-badge" data-count={waiting}>
          {t('lifelog.sync.attention_count', { count: waiting })}
        </a>
      ) : null}
      {pending > 0 && online ? (
        <button type="button" class="button button-quiet button-small" onClick={() => void flush()} disabled={sending} data-testid="lifelog-send-now">
          {sending ? t('lifelog.sync.sending') : t('lifelog.sync.send_now')}
        </button>
      ) : null}
    </div>
  );
}
