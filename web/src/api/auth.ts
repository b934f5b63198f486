import { request } from './client';

export type Role =
  | 'doctor'
  | 'dentist'
  | 'pharmacist'
  | 'nurse'
  | 'care_manager'
  | 'care_staff'
  | 'therapist'
  | 'city_officer'
  | 'call_operator'
  | 'paramedic'
  | 'school_staff'
  | 'family'
  | 'resident'
  | 'admin';

export const ROLES: readonly Role[] = [
  'doctor',
  'dentist',
  'pharmacist',
  'nurse',
  'care_manager',
  'care_staff',
  'therapist',
  'city_officer',
  'call_operator',
  'paramedic',
  'school_staff',
  'family',
  'resident',
  'admin',
];

export interface TenantRef {
  code: string;
  name: string;
}

export interface OrganizationRef {
  code: string;
  name: string;
  kind: string;
}

export interface User {
  id: number;
  username: string;
  display_name: string;
  display_kana?: string;
  role: Role;
  tenant: TenantRef;
  organization: OrganizationRef | null;
  totp_enrolled: boolean;
  permissions: string[];
}

export interface SessionInfo {
  user: User;
  csrf_token: string;
  /** True when the user must enrol a second factor before doing anything else. */
  enrolment_required?: boolean;
}

export interface Credentials {
  username: string;
  password: string;
  otp: string;
}

export interface TotpEnrolment {
  secret: string;
  otpauth_uri: string;
  /** Server-generated SVG markup of the otpauth QR code. */
  qr_svg: string;
}

export function login(credentials: Credentials): Promise<SessionInfo> {
  return request<SessionInfo>('POST', 'auth/login', { body: credentials });
}

/** The current session; rejects with ApiError 401 when there is none. */
export function getSession(signal?: AbortSignal): Promise<SessionInfo> {
  return request<SessionInfo>('GET', 'auth/session', { signal });
}

export function logout(): Promise<void> {
  return request<void>('POST', 'auth/logout');
}

export function getTotpEnrolment(signal?: AbortSignal): Promise<TotpEnrolment> {
  return request<TotpEnrolment>('GET', 'auth/totp/enrolment', { signal });
}

export function confirmTotpEnrolment(otp: string): Promise<SessionInfo> {
  return request<SessionInfo>('POST', 'auth/totp/enrolment', { body: { otp } });
}

export async function getMe(signal?: AbortSignal): Promise<User> {
  const body = await request<{ user: User }>('GET', 'me', { signal });
  return body.user;
}
