// Registers /sw.js (web/public/sw.js), which keeps the app shell so that the app — and the life
// records waiting in the outbox — opens on a reload without a connection. It never keeps /api/.
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  // The dev server serves sources, not the built shell; only a build registers it.
  if (import.meta.env.DEV) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => console.warn('service worker not registered', err));
  });
}
