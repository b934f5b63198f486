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
// The last step used per user is kept in a file, so it survives a restarted test worker.
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
 * A code of a time step not used before by this account, waiting for the next step when needed.
 * Also waits when fewer than `marginS` seconds of the step remain, so the code is still fresh
 * when the form is submitted.
 */
export async function freshCode(account: Account, marginS = 4): Promise<string> {
  for (;;) {
    const now = Date.now();
    const step = stepAt(now);
    const left = STEP_SECONDS - (Math.floor(now / 1000) % STEP_SECONDS);
    const last = usedSteps()[account.username] ?? -1;
    if (step > last && left > marginS) {
      writeFileSync(stateFile(), JSON.stringify({ ...usedSteps(), [account.username]: step }));
      return totpForStep(account.totpSecret, step);
    }
    await sleep(left * 1000 + 300);
  }
}
