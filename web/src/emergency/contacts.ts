import type { Contact } from '../api/emergency';

/** The numbers of a contact that are written down (an entry may have none, or blanks). */
export function phonesOf(contact: Contact): string[] {
  return (contact.phones ?? []).map((phone) => phone.trim()).filter((phone) => phone !== '');
}

/** Contacts in the order to call them; those without an order last, as written. */
export function byOrder(contacts: readonly Contact[]): Contact[] {
  return [...contacts].sort((a, b) => (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER));
}
