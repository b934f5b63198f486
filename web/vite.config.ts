import { defineConfig } from 'vite';

// Only this file runs in Node; the app itself has no Node types.
declare const process: { env: Record<string, string | undefined> };

// No framework plugin: esbuild compiles JSX straight to Preact's automatic runtime.
// The dev server proxies /api and /healthz to a running `moyakko serve`
// (MOYAKKO_API, default http://127.0.0.1:8080) so the UI can be worked on with live data.
const api = process.env.MOYAKKO_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // Keep every asset a separate file: the CSP allows no data: scripts or styles.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/healthz': { target: api },
    },
  },
});
