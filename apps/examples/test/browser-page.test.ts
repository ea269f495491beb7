// The page of `browser/`, which imports every browser-capable Downhill package, bundled by Vite as a
// user's app is (production: the packages' built entries, not this workspace's sources), trains
// the iris MLP in Debian's Chromium (driven by playwright-core; no browser is downloaded) and
// publishes it to a real server over the run link.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { train } from '@downhill/core';
import { type DownhillServer, startServer } from '@downhill/server';
import { type Browser, chromium } from 'playwright-core';
import { last, lastValueFrom } from 'rxjs';
import { build, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { irisMlp } from '../src/iris-classifier.js';

const root = fileURLToPath(new URL('../browser/', import.meta.url));
const irisCsv = readFileSync(new URL('../../../../shared/data/iris.csv', import.meta.url), 'utf8');
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

interface PageResult {
  readonly error?: string;
  readonly exports: Record<string, number>;
  readonly kernels: string | undefined;
  readonly events: number;
  readonly runId: string;
  readonly reason: string;
  readonly steps: number;
  readonly params: number[];
  readonly accuracy: number;
  readonly gradientGap: number;
  readonly chartDrawn: boolean;
}

let dir: string;
let browser: Browser | undefined;
let server: DownhillServer | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'downhill-browser-page-'));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: chromiumArgs,
    headless: true,
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function bundle(outDir: string): Promise<string[]> {
  const warnings: string[] = [];
  // As `vite build` runs for a user: production, so the `development` condition (this workspace's
  // sources) is not used and each package's built entry is.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      mode: 'production',
      root,
      configFile: join(root, 'vite.config.ts'),
      logLevel: 'warn',
      customLogger: {
        info: () => undefined,
        warn: (message) => warnings.push(message),
        warnOnce: (message) => warnings.push(message),
        error: (message) => warnings.push(message),
        clearScreen: () => undefined,
        hasErrorLogged: () => false,
        hasWarned: false,
      },
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return warnings;
}

describe('every browser-capable package in one page', () => {
  it('bundles with Vite, trains the iris MLP in Chromium and publishes it to a server', async () => {
    const outDir = join(dir, 'dist');
    const warnings = await bundle(outDir);
    // Vite replaces a Node built-in with an empty stub and a warning: there must be none.
    expect(warnings.filter((w) => /externalized|node:|browser compatibility/.test(w))).toEqual([]);
    const code = readdirSync(join(outDir, 'assets'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(outDir, 'assets', f), 'utf8'))
      .join('\n');
    expect(code).not.toContain('better-sqlite3');

    const site = await preview({
      root,
      configFile: join(root, 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0 },
    });
    let result: PageResult;
    const errors: string[] = [];
    try {
      // The page comes from another origin than the server's own dashboard: the server must be
      // told to accept it, as a user serving their own page would (`allowedOrigins`).
      const pageUrl = site.resolvedUrls!.local[0]!;
      server = await startServer({
        port: 0,
        dataDir: join(dir, 'store'),
        allowedOrigins: [new URL(pageUrl).origin],
      });
      const page = await browser!.newPage();
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const query = new URLSearchParams({ server: server!.url, token: server!.token ?? '' });
      await page.goto(`${pageUrl}?${query}`);
      await page.waitForFunction(() => (globalThis as { result?: unknown }).result !== undefined, undefined, {
        timeout: 90_000,
      });
      result = (await page.evaluate(() => (globalThis as { result?: unknown }).result)) as PageResult;
      expect(result.error).toBeUndefined();
      expect(await page.textContent('#status')).toMatch(/^completed after 480 steps: test accuracy/);
    } finally {
      await new Promise<void>((resolve) => site.httpServer.close(() => resolve()));
    }
    expect(errors).toEqual([]);
    for (const [name, count] of Object.entries(result.exports)) expect(count, name).toBeGreaterThan(0);
    expect(Object.keys(result.exports)).toHaveLength(9);
    expect(result.kernels).toBe('wasm-simd-float32');
    expect(result).toMatchObject({ reason: 'completed', steps: 480, chartDrawn: true });
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);

    // The same run in Node, on the same kernels: the browser's parameters within float32 rounding.
    const node = await irisMlp({ csv: irisCsv, compute: 'float32' });
    const end = await lastValueFrom(train(node.spec).pipe(last()));
    expect(end.type).toBe('end');
    if (end.type !== 'end') return;
    expect(result.params).toHaveLength(end.params.length);
    const worst = result.params.reduce(
      (gap, p, i) => Math.max(gap, Math.abs(p - end.params[i]!) / (1 + Math.abs(p))),
      0,
    );
    expect(worst).toBeLessThan(1e-5);
    // autodiff's gradient of the same network agrees with the hand-written backward pass.
    expect(result.gradientGap).toBeLessThan(1e-12);

    // The server stored every event the page saw, each seq once, and the run as completed.
    const stored = await server!.store.readEvents(result.runId, { fromSeq: 0 });
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: result.events }, (_, i) => i));
    const summary = await server!.store.getRun(result.runId);
    expect(summary).toMatchObject({ status: 'ended', endReason: 'completed', origin: 'remote' });
  }, 240_000);
});
