// Where the records not yet sent are kept across reloads: IndexedDB, or localStorage where
// IndexedDB cannot be opened (some private modes). Entries are kept per user, so a shared phone
// never sends one person's records under another's session.
import type { LifeRecord, RecordWrite } from '../api/lifelog';

export type OutboxState = 'pending' | 'conflict' | 'error';

export interface OutboxEntry {
  /** `${user}:${client_id}`. */
  key: string;
  user: number;
  person: number;
  client_id: string;
  /** The body of the PUT, as it will be sent (base_version 0 for a new record). */
  write: RecordWrite;
  /** When this device queued it (RFC 3339). */
  queued_at: string;
  state: OutboxState;
  /** conflict: the server's record, as the 409 answer gave it. */
  current?: LifeRecord;
  /** error: what the server said (4xx other than the conflict). */
  error?: { status: number; code: string; message: string; field: string | null };
  attempts: number;
}

export interface OutboxStorage {
  all(user: number): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  remove(key: string): Promise<void>;
}

const DB_NAME = 'moyakko-lifelog';
const STORE = 'outbox';

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('no IndexedDB'));
      return;
    }
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const store = req.result.createObjectStore(STORE, { keyPath: 'key' });
      store.createIndex('user', 'user');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('IndexedDB blocked'));
  });
}

class IdbStorage implements OutboxStorage {
  constructor(private readonly db: IDBDatabase) {}

  private store(mode: IDBTransactionMode): IDBObjectStore {
    return this.db.transaction(STORE, mode).objectStore(STORE);
  }

  async all(user: number): Promise<OutboxEntry[]> {
    return promised(this.store('readonly').index('user').getAll(user) as IDBRequest<OutboxEntry[]>);
  }

  async put(entry: OutboxEntry): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(entry);
    await done(tx);
  }

  async remove(key: string): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(key);
    await done(tx);
  }
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

const LOCAL_PREFIX = 'moyakko.lifelog.outbox.';

class LocalStorage implements OutboxStorage {
  private read(user: number): OutboxEntry[] {
    try {
      const text = localStorage.getItem(LOCAL_PREFIX + user);
      return text ? (JSON.parse(text) as OutboxEntry[]) : [];
    } catch {
      return [];
    }
  }

  /** Throws when the storage is full: the caller must not believe the record is kept. */
  private write(user: number, entries: OutboxEntry[]): void {
    if (entries.length === 0) localStorage.removeItem(LOCAL_PREFIX + user);
    else localStorage.setItem(LOCAL_PREFIX + user, JSON.stringify(entries));
  }

  async all(user: number): Promise<OutboxEntry[]> {
    return this.read(user);
  }

  async put(entry: OutboxEntry): Promise<void> {
    const entries = this.read(entry.user).filter((e) => e.key !== entry.key);
    entries.push(entry);
    this.write(entry.user, entries);
  }

  async remove(key: string): Promise<void> {
    const user = Number(key.split(':')[0]);
    this.write(
      user,
      this.read(user).filter((e) => e.key !== key),
    );
  }
}

let opened: Promise<OutboxStorage> | null = null;

/** The storage of this browser, opened once. */
export function outboxStorage(): Promise<OutboxStorage> {
  opened ??= openDb().then(
    (db): OutboxStorage => new IdbStorage(db),
    (): OutboxStorage => new LocalStorage(),
  );
  return opened;
}
