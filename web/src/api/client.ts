// The one place that talks HTTP to the moyakko server.
//
// Contract:
// - Every request is same-origin JSON with the session cookie (HttpOnly, so never read here).
// - State-changing methods carry `X-CSRF-Token`; the token comes from the login / session
//   responses and is kept in memory only (setCsrfToken).
// - A non-2xx answer becomes an ApiError carrying the server's {"error":{code,message,field}};
//   a network failure becomes ApiError with status 0 and code "network".
// - A 401 on anything but /auth/* means the session has ended: the handler registered with
//   onSessionEnded is told, and the caller still gets the ApiError.
// Feature code calls the typed functions in the other files of this folder, never `request`
// with a hand-built URL.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
    /** The server's id of the failed request, for support and the audit log. */
    readonly requestId: string | null = null,
    /** The whole answer of the server, for errors that carry more than {"error"} (409 with "current"). */
    readonly payload: unknown = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let csrfToken: string | null = null;
let sessionEnded: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function onSessionEnded(handler: (() => void) | null): void {
  sessionEnded = handler;
}

/** Builds "/api/v1/<path>?<query>", leaving out empty query values. */
export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  const url = `/api/v1/${path.replace(/^\/+/, '')}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '') continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${url}?${text}` : url;
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'network error');
  }

  if (response.status === 204) return undefined as T;

  const payload = await readJson(response);
  if (response.ok) return payload as T;

  const error = errorBody(payload);
  if (response.status === 401 && !path.startsWith('auth/') && sessionEnded) sessionEnded();
  throw new ApiError(
    response.status,
    error?.code ?? `http_${response.status}`,
    error?.message ?? response.statusText,
    error?.field ?? null,
    error?.request_id ?? response.headers.get('X-Request-Id'),
    payload,
  );
}

async function readJson(response: Response): Promise<unknown> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

interface ErrorBody {
  code?: string;
  message?: string;
  field?: string | null;
  request_id?: string;
}

function errorBody(payload: unknown): ErrorBody | null {
  if (payload && typeof payload === 'object' && 'error' in payload) {
    const error = (payload as { error: unknown }).error;
    if (error && typeof error === 'object') return error as ErrorBody;
  }
  return null;
}

export interface UploadOptions {
  query?: Record<string, QueryValue>;
  /** The body's type, e.g. "text/csv". */
  contentType: string;
  /** Called with the share of the body sent so far (0–1) while it goes up, and with 1 once it is sent. */
  onProgress?: (sent: number) => void;
  signal?: AbortSignal;
}

/**
 * POSTs a file's bytes as they are (not JSON) and reads the JSON answer, like `request`: the
 * CSRF header, ApiError for a non-2xx answer or a network failure, the session-ended handler on
 * a 401. XMLHttpRequest rather than fetch, because only it reports the upload's progress.
 */
export function uploadRaw<T>(path: string, body: Blob, options: UploadOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new DOMException('The upload was aborted', 'AbortError'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path, options.query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', options.contentType);
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);

    const progress = options.onProgress;
    if (progress) {
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) progress(Math.min(1, e.loaded / e.total));
      };
      xhr.upload.onload = () => progress(1);
    }

    const abort = () => xhr.abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    const done = () => options.signal?.removeEventListener('abort', abort);

    xhr.onabort = () => {
      done();
      reject(new DOMException('The upload was aborted', 'AbortError'));
    };
    xhr.onerror = () => {
      done();
      reject(new ApiError(0, 'network', 'network error'));
    };
    xhr.onload = () => {
      done();
      const type = xhr.getResponseHeader('Content-Type') ?? '';
      let payload: unknown = null;
      if (type.includes('json')) {
        try {
          payload = JSON.parse(xhr.responseText);
        } catch {
          payload = null;
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve((xhr.status === 204 ? undefined : payload) as T);
        return;
      }
      const error = errorBody(payload);
      if (xhr.status === 401 && sessionEnded) sessionEnded();
      reject(
        new ApiError(
          xhr.status,
          error?.code ?? `http_${xhr.status}`,
          error?.message ?? xhr.statusText,
          error?.field ?? null,
          error?.request_id ?? xhr.getResponseHeader('X-Request-Id'),
          payload,
        ),
      );
    };
    xhr.send(body);
  });
}
