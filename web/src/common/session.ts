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
  | { status: 'signed_in'; user: User; enrolmentRequired: boolean };

export const sessionStore = createStore<Session>({ status: 'loading' });
export const streamStore = createStore<StreamState>('closed');

let stream: EventStream | null = null;

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
  if (enrolmentRequired) closeStream();
  else openStream();
}

export function signedOut(expired = false): void {
  setCsrfToken(null);
  closeStream();
  sessionStore.set({ status: 'anonymous', expired });
}

export async function restoreSession(): Promise<void> {
  onSessionEnded(() => {
    if (sessionStore.get().status === 'signed_in') signedOut(true);
  });
  try {
    signedIn(await getSession());
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) console.warn('session check failed', err);
    signedOut();
  }
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
