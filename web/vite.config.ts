import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));

// Vite 8 compiles TSX itself (oxc), so no React plugin: the automatic JSX runtime is all we need.
// (No Fast Refresh in dev; the server serves the production build.)
export default defineConfig({
  root: webDir,
  publicDir: 'public',
  plugins: [tailwindcss()],
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    rolldownOptions: {
      onwarn(warning, warn) {
        // TanStack Query marks its modules "use client" for React Server Components; meaningless in an SPA.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `vite --config web/vite.config.ts` during UI work: the API stays on the Orchard server.
    proxy: { '/api': 'http://localhost:7300' },
  },
});
