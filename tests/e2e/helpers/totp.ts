// RFC 6238 one-time codes (HMAC-SHA-1, 30-s steps, 6 digits) from a base32 secret,
// with node:crypto only.
import { createHmac } from 'node:crypto';

export const STEP_SECONDS = 30;

export function base32Decode(secret: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = secret.replace(/[\s=-]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const index = alphabet.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function stepAt(timeMs: number): number {
  return Math.floor(timeMs / 1000 / STEP_SECONDS);
}

/** The code of one time step (HOTP of the step counter, RFC 4226 dynamic truncation). */
export function totpForStep(secret: string, step: number, digits = 6): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(number).padStart(digits, '0');
}

export function totp(secret: string, timeMs = Date.now()): string {
  return totpForStep(secret, stepAt(timeMs));
}

/** A six-digit code that is valid in none of the steps around now (for the "wrong code" case). */
export function wrongCode(secret: string, timeMs = Date.now()): string {
  const step = stepAt(timeMs);
  const near = new Set([-2, -1, 0, 1, 2].map((d) => totpForStep(secret, step + d)));
  for (const candidate of ['000000', '111111', '123456', '999999']) if (!near.has(candidate)) return candidate;
  throw new Error('no wrong code found');
}
