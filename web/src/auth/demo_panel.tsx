import { useEffect, useRef, useState } from 'preact/hooks';
import { getDemoLogins, type DemoLogin } from '../api/demo';
import { t, tOptional, useLang } from '../common/i18n';

const REFRESH_MS = 5000;

interface Props {
  onPick: (account: DemoLogin) => void;
  /** Called with every refreshed list (new one-time codes). */
  onRefresh: (accounts: DemoLogin[]) => void;
}

/**
 * "デモ用ログイン": the demo accounts of a local demo installation with their current codes.
 * Renders nothing where the server has no demo (404).
 */
export function DemoPanel({ onPick, onRefresh }: Props) {
  useLang();
  const [accounts, setAccounts] = useState<DemoLogin[] | null>(null);
  const [loadedAt, setLoadedAt] = useState(0);
  const [now, setNow] = useState(Date.now());
  const refreshRef = useRef(onRefresh);
  refreshRef.current = onRefresh;

  useEffect(() => {
    let stopped = false;
    let timer = 0;
    const controller = new AbortController();
    const load = async () => {
      try {
        const list = await getDemoLogins(controller.signal);
        if (stopped) return;
        if (list === null) {
          setAccounts(null);
          return; // no demo here: stop asking
        }
        setAccounts(list);
        setLoadedAt(Date.now());
        refreshRef.current(list);
      } catch {
        // Keep the last list; try again on the next tick.
      }
      if (!stopped) timer = window.setTimeout(load, REFRESH_MS);
    };
    void load();
    const clock = window.setInterval(() => setNow(Date.now()), 1000);
    return () => {
      stopped = true;
      controller.abort();
      window.clearTimeout(timer);
      window.clearInterval(clock);
    };
  }, []);

  if (!accounts || accounts.length === 0) return null;
  const elapsed = Math.floor((now - loadedAt) / 1000);

  return (
    <section class="card demo-panel" aria-labelledby="demo-title" data-testid="demo-panel">
      <h2 id="demo-title" class="demo-title">
        {t('demo.title')}
      </h2>
      <p class="demo-lead">{t('demo.lead')}</p>
      <ul class="demo-list">
        {accounts.map((account) => {
          const left = Math.max(0, account.otp_expires_in - elapsed);
          const role = tOptional(`role.${account.role}`, account.role);
          return (
            <li key={account.username}>
              <button
                type="button"
                class="demo-account"
                onClick={() => onPick(account)}
                aria-label={t('demo.fill', { name: account.display_name, role })}
                data-testid="demo-login"
                data-username={account.username}
              >
                <span class="demo-who">
                  <span class="demo-name">{account.display_name}</span>
                  <span class="demo-meta">
                    {role} · {account.username} · {tenantName(account.tenant)}
                  </span>
                </span>
                <span class="demo-code">
                  <span class="demo-otp" data-testid="demo-otp">
                    {account.otp}
                  </span>
                  <span class="demo-expiry">{t('demo.expires', { seconds: left })}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function tenantName(tenant: DemoLogin['tenant']): string {
  if (!tenant) return '';
  return typeof tenant === 'string' ? tenant : tenant.name;
}
