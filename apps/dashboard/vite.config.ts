import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const packages = fileURLToPath(new URL('../../packages/', import.meta.url));

export default defineConfig({
  // Relative asset URLs: the build works from whatever path the server mounts it at.
  base: './',
  resolve: {
    // Workspace packages from source (no build needed first); everything else, Lit included,
    // through its production entry (a global `development` condition would pick Lit's dev build).
    alias: [{ find: /^@downhill\/([a-z-]+)$/, replacement: `${packages}$1/src/index.ts` }],
  },
  // Lit's @property decorators are TC39 decorators: lowered here, as no browser runs them yet.
  esbuild: { target: 'es2022' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
});
