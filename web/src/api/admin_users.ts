import type { Role, User } from './auth';
import { request } from './client';

export interface ManagedUser extends User {
  disabled: boolean;
  /** RFC 3339 instant until which login is locked, or null. */
  locked_until: string | null;
}

export interface NewUser {
  username: string;
  display_name: string;
  /** Reading of the display name in kana (optional). */
  display_kana: string;
  role: Role;
  /** Organisation code, or "" for none (the field is then left out). */
  organization: string;
  password: string;
}

export async function listUsers(signal?: AbortSignal): Promise<ManagedUser[]> {
  const body = await request<{ users: ManagedUser[] }>('GET', 'admin/users', { signal });
  return body.users;
}

/** Creates a user; the new user enrols a second factor at first login. */
export async function createUser(user: NewUser): Promise<User> {
  const { organization, ...rest } = user;
  const body = await request<{ user: User }>('POST', 'admin/users', {
    body: organization ? { ...rest, organization } : rest,
  });
  return body.user;
}

export function disableUser(id: number): Promise<unknown> {
  return request<unknown>('POST', `admin/users/${id}/disable`);
}

export function resetTwoFactor(id: number): Promise<unknown> {
  return request<unknown>('POST', `admin/users/${id}/reset-2fa`);
}
