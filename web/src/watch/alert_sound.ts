// A short two-tone chime for a new alert, made with the Web Audio API (no audio files).
//
// Browsers start audio only after the user has interacted with the page (autoplay policy), and
// some have no Web Audio at all. The context is therefore created on the first click or key
// press (unlockAlertSound) and every call here is guarded: the worst case is silence, never an
// error. The operator's on/off choice is remembered in localStorage.
import { createStore, useStore } from '../common/store';

export type SoundResult = 'played' | 'blocked' | 'unsupported' | 'off';

const STORAGE_KEY = 'moyakko.alert_sound';
/** How long to wait for a suspended context to resume before calling it blocked. */
const RESUME_WAIT_MS = 400;

type AudioContextClass = typeof AudioContext;

let context: AudioContext | null = null;

function contextClass(): AudioContextClass | null {
  if (typeof window === 'undefined') return null;
  const w = window as unknown as { AudioContext?: AudioContextClass; webkitAudioContext?: AudioContextClass };
  return w.AudioContext ?? w.webkitAudioContext ?? null;
}

export function soundSupported(): boolean {
  return contextClass() !== null;
}

function audioContext(): AudioContext | null {
  if (context) return context;
  const Class = contextClass();
  if (!Class) return null;
  try {
    context = new Class();
  } catch {
    context = null;
  }
  return context;
}

function initialEnabled(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}

const enabledStore = createStore<boolean>(initialEnabled());

export function useAlertSoundEnabled(): boolean {
  return useStore(enabledStore);
}

export function setAlertSoundEnabled(enabled: boolean): void {
  try {
    localStorage.setItem(STORAGE_KEY, enabled ? 'on' : 'off');
  } catch {
    // Not remembered, but applied for this tab.
  }
  enabledStore.set(enabled);
}

/** Call from a user gesture (click, key press): lets later chimes play under autoplay rules. */
export function unlockAlertSound(): void {
  if (!enabledStore.get()) return;
  const ctx = audioContext();
  if (ctx && ctx.state === 'suspended') ctx.resume().catch(() => undefined);
}

async function running(ctx: AudioContext): Promise<boolean> {
  if (ctx.state === 'running') return true;
  try {
    // resume() may stay pending until a user gesture: do not wait for it forever.
    await Promise.race([ctx.resume(), new Promise((resolve) => window.setTimeout(resolve, RESUME_WAIT_MS))]);
  } catch {
    return false;
  }
  return (ctx.state as AudioContextState) === 'running';
}

/** Plays the chime (two short beeps, about 0.6 s); says whether it could. */
export async function playAlertSound(force = false): Promise<SoundResult> {
  if (!force && !enabledStore.get()) return 'off';
  const ctx = audioContext();
  if (!ctx) return 'unsupported';
  try {
    if (!(await running(ctx))) return 'blocked';
    const start = ctx.currentTime + 0.02;
    const tones: Array<[frequency: number, at: number]> = [
      [880, 0],
      [1175, 0.3],
    ];
    for (const [frequency, at] of tones) {
      const oscillator = ctx.createOscillator();
      const gain = ctx.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = frequency;
      // A soft attack and release, so the beep does not click.
      gain.gain.setValueAtTime(0.0001, start + at);
      gain.gain.exponentialRampToValueAtTime(0.3, start + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 0.25);
      oscillator.connect(gain).connect(ctx.destination);
      oscillator.start(start + at);
      oscillator.stop(start + at + 0.27);
    }
    return 'played';
  } catch {
    return 'blocked';
  }
}
