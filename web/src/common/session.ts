// Who is signed in. One store for the whole app; the API client's CSRF token and the
// live-update stream follow it.
import type { SessionInfo, User } from '../api/auth';
import { getSession, logout as apiLogout } from '../api/auth';
import { ApiError, onSessionEnded, setCsrfToken } from '../api/client';
import type { EventStream, StreamState } from '../api/events';
import { openEventStream } from '../api/events';
import { createStore, useStore } from './store';

export type Session =
  | { status: 'loading' }
  | { status: 'anonymous'; expired?: boolean }
  | {
      status: 'signed_in';
      user: User;
      enrolmentRequired: boolean;
      /**
       * True when the server could not be reached at start-up and the user of the last session on
       * this browser is assumed, so that what was kept on the device (unsent life records) can be
       * seen; nothing is sent until the session has been confirmed.
       */
      offline?: boolean;
    };

export const sessionStore = createStore<Session>({ status: 'loading' });
export const streamStore = createStore<StreamState>('closed');

let stream: EventStream | null = null;

// Who was signed in last on this browser (name, role, permissions: no secret), for an offline start.
const LAST_USER_KEY = 'moyakko.session.last_user';

function rememberUser(user: User | null): void {
  try {
    if (user) localStorage.setItem(LAST_USER_KEY, JSON.stringify(user));
    else localStorage.removeItem(LAST_USER_KEY);
  } catch {
    // Not remembered: an offline start shows the login page.
  }
}

function rememberedUser(): User | null {
  try {
    const text = localStorage.getItem(LAST_USER_KEY);
    return text ? (JSON.parse(text) as User) : null;
  } catch {
    return null;
  }
}

export function useSession(): Session {
  return useStore(sessionStore);
}

export function useStreamState(): StreamState {
  return useStore(streamStore);
}

/** The live-update stream, for features that listen to server events (null when signed out). */
export function eventStream(): EventStream | null {
  return stream;
}

export function hasPermission(session: Session, permission: string): boolean {
  return session.status === 'signed_in' && !session.enrolmentRequired && session.user.permissions.includes(permission);
}

/** Applies a login / session / enrolment response. */
export function signedIn(info: SessionInfo): void {
  setCsrfToken(info.csrf_token);
  const enrolmentRequired = info.enrolment_required === true || info.user.totp_enrolled === false;
  sessionStore.set({ status: 'signed_in', user: info.user, enrolmentRequired });
  rememberUser(enrolmentRequired ? null : info.user);
  if (enrolmentRequired) closeStream();
  else openStream();
}

export function signedOut(expired = false): void {
  setCsrfToken(null);
  closeStream();
  rememberUser(null);
  sessionStore.set({ status: 'anonymous', expired });
}

export async function restoreSession(): Promise<void> {
  onSessionEnded(() => {
    if (sessionStore.get().status === 'signed_in') signedOut(true);
  });
  try {
    signedIn(await getSession());
  } catch (err) {
    const last = rememberedUser();
    if (err instanceof ApiError && err.status === 0 && last) {
      startOffline(last);
      return;
    }
    if (!(err instanceof ApiError) || err.status !== 401) console.warn('session check failed', err);
    signedOut();
  }
}

/** Shows the app as the last user while the server cannot be reached; checks the session again once it can. */
function startOffline(last: User): void {
  sessionStore.set({ status: 'signed_in', user: last, enrolmentRequired: false, offline: true });
  const retry = () => {
    window.removeEventListener('online', retry);
    window.clearInterval(timer);
    void restoreSession();
  };
  window.addEventListener('online', retry);
  const timer = window.setInterval(async () => {
    try {
      await fetch('/healthz', { cache: 'no-store' });
      retry();
    } catch {
      // Still offline.
    }
  }, 15_000);
}

export async function logout(): Promise<void> {
  try {
    await apiLogout();
  } catch {
    // The session is dropped on this side either way.
  }
  signedOut();
}

function openStream(): void {
  if (stream || typeof EventSource === 'undefined') return;
  stream = openEventStream((state) => streamStore.set(state));
}

function closeStream(): void {
  stream?.close();
  stream = null;
  streamStore.set('closed');
}
