// Shared styles first, so that the component styles imported by App come after them.
import './common/base.css';
import { render } from 'preact';
import { App } from './app';
import { applyLang } from './common/i18n';
import { restoreSession } from './common/session';
import { installOutbox } from './lifelog/outbox';
import { registerServiceWorker } from './service_worker';

applyLang();
render(<App />, document.getElementById('app')!);
installOutbox();
void restoreSession();
registerServiceWorker();
