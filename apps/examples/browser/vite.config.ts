import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The page fetches `iris.csv`: the workspace's real data sets (../shared/data beside the checkout)
// are its public files, served at the root and copied into the build.
export default defineConfig({
  publicDir: fileURLToPath(new URL('../../../../shared/data', import.meta.url)),
  build: { target: 'es2022' },
});
