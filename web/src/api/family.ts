// The family view: the relatives a family user is linked to (permission "family.relatives").
// Their watch-over summary is GET watch/persons/{id}/summary (getWatchSummary in ./watch).
import { request } from './client';

export interface Relative {
  /** Person id (/watch/persons/{person}/summary). */
  person: number;
  name: string;
  /** How the family user is related to them, as registered ("長女"). */
  relationship: string;
  /** True when the relative's home has a watch-over sensor. */
  watch_over: boolean;
}

export async function listRelatives(signal?: AbortSignal): Promise<Relative[]> {
  const body = await request<{ relatives: Relative[] }>('GET', 'family/relatives', { signal });
  return body.relatives;
}
