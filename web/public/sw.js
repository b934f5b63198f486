// The app shell for a start without a connection (ここのーと's outbox lives in the browser, so a
// reload on a farm road must still open the app). Rules:
// - page navigations: network first; the last good index.html when the network fails;
// - /assets/* (hashed, immutable): from the cache, else the network, then kept;
// - /api/, /healthz and anything of another origin: never touched, never kept.
// On install the shell and the assets it names are fetched, so the first visit already counts.
const CACHE = 'moyakko-shell-v1';
const SHELL = '/index.html';

async function cacheShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch(SHELL, { cache: 'no-store' });
  if (!response.ok) return;
  const html = await response.clone().text();
  await cache.put(SHELL, response);
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+|\/favicon\.svg)"/g)].map((m) => m[1]);
  await Promise.all(
    assets.map(async (url) => {
      try {
        const asset = await fetch(url);
        if (asset.ok) await cache.put(url, asset);
      } catch {
        // Kept on first use instead.
      }
    }),
  );
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

function bypass(url) {
  return url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/healthz';
}

async function navigation(request) {
  try {
    const response = await fetch(request);
    // Every app path is answered with index.html; keep the newest.
    if (response.ok && (response.headers.get('Content-Type') || '').includes('text/html')) {
      const cache = await caches.open(CACHE);
      await cache.put(SHELL, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await caches.match(SHELL);
    if (cached) return cached;
    throw err;
  }
}

async function asset(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (bypass(url)) return;
  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
  } else if (url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg') {
    event.respondWith(asset(request));
  }
});
