import { render } from 'preact';
import { App } from './app';
import { applyLang } from './common/i18n';
import { restoreSession } from './common/session';
import './common/base.css';

applyLang();
render(<App />, document.getElementById('app')!);
void restoreSession();
