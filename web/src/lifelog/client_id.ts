// The id a record is written under, made on this device before it is sent (docs/api.md §12.3:
// 8–64 characters of A–Z a–z 0–9 - _), so that a request sent again is recognised as the same.

/** 128 random bits as a version-4 UUID: crypto.randomUUID where there is one (it needs a secure context). */
export function newClientId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') {
    try {
      return c.randomUUID();
    } catch {
      // Not a secure context (plain http on a LAN address): make it from random bytes below.
    }
  }
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
