import { request } from './client';

export interface Organization {
  code: string;
  name: string;
  kind: string;
  /** Code of the municipality the organisation belongs to. */
  tenant: string;
  address?: string;
  phone?: string;
}

/** Organisations visible to the user; across municipalities where the installation shares them. */
export async function listOrganizations(signal?: AbortSignal): Promise<Organization[]> {
  const body = await request<{ organizations: Organization[] }>('GET', 'organizations', { signal });
  return body.organizations;
}

/** The organisations of one municipality, sorted by name in Japanese order. */
export async function listOrganizationsOf(tenantCode: string, signal?: AbortSignal): Promise<Organization[]> {
  const all = await listOrganizations(signal);
  const collator = new Intl.Collator('ja');
  return all.filter((org) => org.tenant === tenantCode).sort((a, b) => collator.compare(a.name, b.name));
}
