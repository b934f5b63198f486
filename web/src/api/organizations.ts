import { request } from './client';

export interface Organization {
  code: string;
  name: string;
  kind: string;
  tenant: string | { code: string; name: string };
}

export async function listOrganizations(signal?: AbortSignal): Promise<Organization[]> {
  const body = await request<{ organizations: Organization[] }>('GET', 'organizations', { signal });
  return body.organizations;
}
