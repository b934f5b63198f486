// Test users created by run.sh with known passwords and TOTP secrets.
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stepAt, STEP_SECONDS, totpForStep } from './totp';

export interface Account {
  username: string;
  password: string;
  totpSecret: string;
}

export const ADMIN: Account = {
  username: 'e2e_admin',
  password: 'e2e-admin-pass-123',
  totpSecret: 'JBSWY3DPEHPK3PXP',
};

export const FAMILY: Account = {
  username: 'e2e_family',
  password: 'e2e-family-pass-123',
  totpSecret: 'KRUGKIDROVUWG2ZAMJZG653OEBTG66BANJ2W24DTEBXXMZLSEB2GQZJANRQXU6JAMRXWO',
};

/** A doctor of 幡山みなみ病院 (seto-hatayama-hospital), where the emergency tests take their patient. */
export const HOSPITAL_DOCTOR: Account = {
  username: 'e2e_hospital_doctor',
  password: 'e2e-hospital-pass-123',
  totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
};

// The server refuses a code whose time step was already used by that user (replay protection).
// The last step used per user is kept in a file, so it survives a restarted test worker; one file
// per server (MOYAKKO_URL is the worker's own server, see playwright.config.ts).
function stateFile(): string {
  const key = (process.env.MOYAKKO_URL ?? 'none').replace(/[^a-z0-9]+/gi, '_');
  return join(tmpdir(), `moyakko-e2e-totp-${key}.json`);
}

export function usedSteps(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(stateFile(), 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records that `username` has used the code of `step` (see freshCode). */
export function markStepUsed(username: string, step: number): void {
  writeFileSync(stateFile(), JSON.stringify({ ...usedSteps(), [username]: step }));
}

/**
 * A code of a time step not used before by this account. The server also accepts the codes of the
 * steps just before and after the current one (a step of clock drift either way), so the earliest
 * unused of those three that stays valid for `marginS` more seconds is taken; only when all three
 * are used does this wait for the next step.
 */
export async function freshCode(account: Account, marginS = 10): Promise<string> {
  for (;;) {
    const now = Date.now();
    const current = stepAt(now);
    const last = usedSteps()[account.username] ?? -1;
    // Step s is accepted until the server's clock leaves step s + 1.
    const step = [current - 1, current, current + 1].find((s) => s > last && (s + 2) * STEP_SECONDS * 1000 - now > marginS * 1000);
    if (step !== undefined) {
      markStepUsed(account.username, step);
      return totpForStep(account.totpSecret, step);
    }
    await sleep((current + 1) * STEP_SECONDS * 1000 - now + 300);
  }
}
