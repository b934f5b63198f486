// The outbox of life records: every record written on this device is first kept here, then sent
// with PUT …/records/{client_id}. Because the PUT is idempotent, sending again after a lost answer
// is safe, so nothing is ever dropped without the user saying so.
//
// - 201 / 200 (also replayed): sent; the entry is removed and the server's record is announced.
// - network failure, 5xx, 429, 401: the entry stays pending and is sent again later — on the
//   `online` event, when the user signs in or loads the app, and every 30 seconds.
// - 409 edit_conflict: the entry becomes a conflict holding the server's record; the user keeps
//   theirs (sent again on top of the server's version) or takes the server's (entry dropped).
// - any other 4xx: the entry keeps the error until the user discards it.
import { ApiError } from '../api/client';
import { putRecord, RecordConflict, type LifeRecord, type RecordWrite } from '../api/lifelog';
import { sessionStore } from '../common/session';
import { createStore, useStore } from '../common/store';
import { forgetAllTemplates } from './device_cache';
import { outboxStorage, type OutboxEntry } from './outbox_storage';

export type { OutboxEntry } from './outbox_storage';

export const RETRY_MS = 30_000;

/** The entries of the signed-in user, oldest first. */
export const outboxStore = createStore<OutboxEntry[]>([]);
/** True while entries are being sent. */
export const sendingStore = createStore(false);
/** Whether the browser believes it is online (navigator.onLine and the last request). */
export const onlineStore = createStore(typeof navigator === 'undefined' ? true : navigator.onLine);

type SentListener = (record: LifeRecord) => void;
const sentListeners = new Set<SentListener>();

/** Called with the server's record whenever an entry has been sent. */
export function onRecordSent(listener: SentListener): () => void {
  sentListeners.add(listener);
  return () => sentListeners.delete(listener);
}

export function useOutbox(): OutboxEntry[] {
  return useStore(outboxStore);
}

export function useOnline(): boolean {
  return useStore(onlineStore);
}

export function useSending(): boolean {
  return useStore(sendingStore);
}

let user: number | null = null;
let flushing: Promise<void> | null = null;
let again = false;

function sortByQueued(entries: OutboxEntry[]): OutboxEntry[] {
  return [...entries].sort((a, b) => a.queued_at.localeCompare(b.queued_at));
}

function setEntry(entry: OutboxEntry): void {
  outboxStore.set(sortByQueued([...outboxStore.get().filter((e) => e.key !== entry.key), entry]));
}

function dropEntry(key: string): void {
  outboxStore.set(outboxStore.get().filter((e) => e.key !== key));
}

async function persist(entry: OutboxEntry): Promise<void> {
  const storage = await outboxStorage();
  await storage.put(entry);
}

async function forget(key: string): Promise<void> {
  const storage = await outboxStorage();
  await storage.remove(key);
}

/**
 * Keeps a record to send and starts sending. Resolves once the record is stored on this device
 * (rejects when it could not be stored, e.g. the storage is full).
 */
export async function enqueue(person: number, clientId: string, write: RecordWrite): Promise<OutboxEntry> {
  if (user === null) throw new Error('not signed in');
  const key = `${user}:${clientId}`;
  const earlier = outboxStore.get().find((e) => e.key === key);
  const entry: OutboxEntry = {
    key,
    user,
    person,
    client_id: clientId,
    // A change of a record that was never sent is still its creation.
    write: earlier && (earlier.write.base_version ?? 0) === 0 ? { ...write, base_version: 0, photos: write.photos ?? earlier.write.photos } : write,
    queued_at: earlier?.queued_at ?? new Date().toISOString(),
    state: 'pending',
    attempts: 0,
  };
  await persist(entry);
  setEntry(entry);
  void flush();
  return entry;
}

/** Conflict: send this device's version again, on top of the server's current one. */
export async function keepMine(key: string): Promise<void> {
  const entry = outboxStore.get().find((e) => e.key === key);
  if (!entry || !entry.current) return;
  const next: OutboxEntry = {
    ...entry,
    // Photos go only with a creation; the server's record already has its own.
    write: { ...entry.write, base_version: entry.current.version, photos: undefined },
    state: 'pending',
    current: undefined,
    error: undefined,
    attempts: 0,
  };
  await persist(next);
  setEntry(next);
  await flush();
}

/** Conflict: take the server's record and drop this device's change; error: discard the entry. */
export async function discard(key: string): Promise<void> {
  const entry = outboxStore.get().find((e) => e.key === key);
  await forget(key);
  dropEntry(key);
  if (entry?.current) for (const listener of sentListeners) listener(entry.current);
}

/** Sends the pending entries one after the other; a second call while sending sends once more after. */
export function flush(): Promise<void> {
  if (flushing) {
    again = true;
    return flushing;
  }
  flushing = (async () => {
    sendingStore.set(true);
    try {
      do {
        again = false;
        await sendAll();
      } while (again);
    } finally {
      sendingStore.set(false);
      flushing = null;
    }
  })();
  return flushing;
}

function sessionReady(): boolean {
  const session = sessionStore.get();
  return session.status === 'signed_in' && !session.enrolmentRequired && session.offline !== true && session.user.id === user;
}

async function sendAll(): Promise<void> {
  for (const entry of outboxStore.get()) {
    if (entry.state !== 'pending') continue;
    if (!sessionReady()) return;
    if (!outboxStore.get().some((e) => e.key === entry.key && e.state === 'pending')) continue;
    const goOn = await sendOne(entry);
    if (!goOn) return;
  }
}

/** Sends one entry; false when the others should wait (no connection, server trouble). */
async function sendOne(entry: OutboxEntry): Promise<boolean> {
  try {
    const answer = await putRecord(entry.person, entry.client_id, entry.write);
    onlineStore.set(true);
    await forget(entry.key);
    dropEntry(entry.key);
    for (const listener of sentListeners) listener(answer.record);
    return true;
  } catch (err) {
    if (err instanceof RecordConflict) {
      onlineStore.set(true);
      const next: OutboxEntry = { ...entry, state: 'conflict', current: err.current, attempts: entry.attempts + 1 };
      await persist(next);
      setEntry(next);
      return true;
    }
    if (err instanceof ApiError) {
      if (err.status === 0) {
        onlineStore.set(false);
        return false;
      }
      onlineStore.set(true);
      if (err.status === 401 || err.status === 408 || err.status === 429 || err.status >= 500) return false;
      if (err.status === 403 && err.code.startsWith('csrf')) return false;
      const next: OutboxEntry = {
        ...entry,
        state: 'error',
        error: { status: err.status, code: err.code, message: err.message, field: err.field },
        attempts: entry.attempts + 1,
      };
      await persist(next);
      setEntry(next);
      return true;
    }
    console.error('lifelog outbox', err);
    return false;
  }
}

async function load(forUser: number): Promise<void> {
  const storage = await outboxStorage();
  const entries = await storage.all(forUser);
  if (user !== forUser) return;
  outboxStore.set(sortByQueued(entries));
  void flush();
}

let installed = false;

/**
 * Follows the session (the queue of whoever is signed in), the browser's online / offline events
 * and a 30-second timer. Called once at start-up.
 */
export function installOutbox(): void {
  if (installed || typeof window === 'undefined') return;
  installed = true;
  const follow = () => {
    const session = sessionStore.get();
    // Signed out on purpose (not an expired session): the kept templates go; the outbox stays,
    // per user, until its owner signs in again and it is sent.
    if (session.status === 'anonymous' && !session.expired && user !== null) forgetAllTemplates();
    const next = session.status === 'signed_in' && !session.enrolmentRequired ? session.user.id : null;
    if (next !== user) {
      user = next;
      outboxStore.set([]);
      if (next !== null) void load(next);
    } else if (next !== null) {
      // The same user again (a session confirmed after an offline start): try now.
      void flush();
    }
  };
  sessionStore.subscribe(follow);
  follow();
  window.addEventListener('online', () => {
    onlineStore.set(true);
    void flush();
  });
  window.addEventListener('offline', () => onlineStore.set(false));
  window.setInterval(() => {
    if (outboxStore.get().some((e) => e.state === 'pending')) void flush();
  }, RETRY_MS);
}
