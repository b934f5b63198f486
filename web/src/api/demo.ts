import { ApiError, request } from './client';

export interface DemoLogin {
  username: string;
  password: string;
  role: string;
  display_name: string;
  tenant: string | { code: string; name: string };
  /** The current one-time code for this account. */
  otp: string;
  /** Seconds until `otp` stops being valid. */
  otp_expires_in: number;
}

/** Demo accounts of a local demo installation, or null when the server offers none (404). */
export async function getDemoLogins(signal?: AbortSignal): Promise<DemoLogin[] | null> {
  try {
    const body = await request<{ logins: DemoLogin[] }>('GET', 'demo/logins', { signal });
    return body.logins ?? [];
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return null;
    throw err;
  }
}
