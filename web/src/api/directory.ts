// 事業所・専門職: the directory of organisations and professionals (permission "directory.read").
import type { CareUser } from './carenet';
import { request } from './client';

export const SERVICES = [
  'home_visits',
  '24h',
  'terminal_care',
  'pediatric',
  'dementia',
  'rehabilitation',
  'dental_visits',
  'medication_delivery',
  'short_stay',
  'day_care',
] as const;
export type Service = (typeof SERVICES)[number];

/** Kinds of organisation in the registry. */
export const ORGANIZATION_KINDS = [
  'clinic',
  'hospital',
  'dental_clinic',
  'pharmacy',
  'visiting_nursing',
  'care_management',
  'care_service',
  'day_care',
  'city_department',
  'call_centre',
  'fire_department',
  'school',
] as const;

export interface DirectoryOrganization {
  code: string;
  name: string;
  kind: string;
  tenant: string;
  phone: string | null;
  fax: string | null;
  address: string | null;
  hours: string | null;
  services: string[];
  lat: number | null;
  lon: number | null;
  note: string | null;
}

export interface OrganizationFilter {
  q?: string;
  kind?: string;
  service?: string;
}

export async function searchOrganizations(filter: OrganizationFilter, signal?: AbortSignal): Promise<DirectoryOrganization[]> {
  const body = await request<{ organizations: DirectoryOrganization[] }>('GET', 'directory/organizations', {
    query: { q: filter.q?.trim(), kind: filter.kind, service: filter.service },
    signal,
  });
  return body.organizations;
}

export function getOrganization(
  code: string,
  signal?: AbortSignal,
): Promise<{ organization: DirectoryOrganization; professionals: CareUser[] }> {
  return request<{ organization: DirectoryOrganization; professionals: CareUser[] }>(
    'GET',
    `directory/organizations/${encodeURIComponent(code)}`,
    { signal },
  );
}

/** Admin only: any of the listed fields. */
export async function updateOrganization(
  code: string,
  change: Partial<Pick<DirectoryOrganization, 'phone' | 'fax' | 'address' | 'hours' | 'services' | 'note'>>,
): Promise<void> {
  await request<unknown>('PUT', `directory/organizations/${encodeURIComponent(code)}`, { body: change });
}

export interface ProfessionalFilter {
  q?: string;
  role?: string;
  organization?: string;
}

/** Staff only; name / kana search tolerant of width and kana kind. */
export async function searchProfessionals(filter: ProfessionalFilter, signal?: AbortSignal): Promise<CareUser[]> {
  const body = await request<{ professionals: CareUser[] }>('GET', 'directory/professionals', {
    query: { q: filter.q?.trim(), role: filter.role, organization: filter.organization },
    signal,
  });
  return body.professionals;
}
