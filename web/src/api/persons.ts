import { request } from './client';

export type Sex = 'female' | 'male' | 'other' | 'unknown';

export interface Person {
  id: number;
  name: string;
  kana: string;
  sex: Sex;
  /** YYYY-MM-DD */
  birth_date: string;
  age: number;
  address: string;
  postal_code?: string;
  district: string;
  phones: string[];
  lat: number | null;
  lon: number | null;
}

export const PERSON_LIST_LIMIT = 50;

export async function listPersons(query: string, signal?: AbortSignal): Promise<Person[]> {
  const body = await request<{ persons: Person[] }>('GET', 'persons', {
    query: { q: query.trim(), limit: PERSON_LIST_LIMIT },
    signal,
  });
  return body.persons;
}

export async function getPerson(id: number, signal?: AbortSignal): Promise<Person> {
  const body = await request<{ person: Person }>('GET', `persons/${encodeURIComponent(String(id))}`, { signal });
  return body.person;
}
