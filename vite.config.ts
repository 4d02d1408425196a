import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Builds the UI (renderer/) into dist/renderer. `base: './'` keeps every URL relative so the same
// build loads from the local host (http://127.0.0.1:PORT/) and from Electron (file://.../index.html).
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'app', // keeps /assets/ free for the host's static route to the repo's assets/
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
