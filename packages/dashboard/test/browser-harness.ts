// Test and benchmark plumbing: a Vite server on 127.0.0.1 (an ephemeral port) serving this
// package's test pages from source, and Debian's Chromium driven by playwright-core.
// No browser is ever downloaded: the executable is the system one.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const packagesDir = fileURLToPath(new URL('../../', import.meta.url));
export const artifactsDir = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

export const chromiumPath = process.env.DOWNHILL_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `packages/dashboard` (test pages under /test/pages/) with workspace packages from source. */
export async function startPageServer(
  options: { readonly proxy?: Record<string, string> } = {},
): Promise<PageServer> {
  const server: ViteDevServer = await createServer({
    root: packageRoot,
    configFile: false,
    logLevel: 'error',
    clearScreen: false,
    // Workspace packages from source; everything else (Lit included) through its production entry,
    // so the benchmark measures what users run. A dev server resolves the `development` condition
    // by default, which picks Lit's development build (slower, with extra checks): name the
    // conditions instead.
    resolve: {
      alias: [{ find: /^@downhill\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/index.ts` }],
      conditions: ['module', 'browser', 'production'],
    },
    server: {
      host: '127.0.0.1',
      port: 0,
      strictPort: false,
      hmr: false,
      ...(options.proxy ? { proxy: options.proxy } : {}),
    },
    optimizeDeps: { noDiscovery: true, include: [] },
    // Lower the TC39 decorators Lit's @property uses: no browser runs them natively yet.
    esbuild: { target: 'es2022' },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string')
    throw new Error('startPageServer: the Vite server has no TCP address');
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/** A new page that fails the test on any uncaught page error or console error. */
export async function openPage(browser: Browser, url: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: `${artifactsDir}${name}.png`, fullPage: true });
}
