// @downhill/data in a browser: a small page importing it (and @downhill/core) is bundled by Vite
// with its default config, as a user's app would be, and trains a model on CSV text in Debian's
// Chromium (driven by playwright-core; no browser is downloaded).
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packages = fileURLToPath(new URL('../../', import.meta.url));
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

// y = 2 x - 1 + small noise: the least-squares line is computed below as the oracle.
const points = Array.from({ length: 40 }, (_, i) => {
  const x = i / 10 - 2;
  return [x, 2 * x - 1 + 0.05 * Math.sin(3 * i)] as const;
});
const csv = `x,y\n${points.map(([x, y]) => `${x},${y}`).join('\n')}\n`;

const MAIN = `
// The whole namespace, so that tree-shaking cannot hide a module the browser cannot load.
import * as data from '@downhill/data';
const { fullBatchLoader, readCsvText } = data;
import { train } from '@downhill/core';
// Least squares on [x, 1] with plain gradient descent, written here so that the page needs only
// the packages under test.
const objective = {
  dimension: 2,
  loss(w, batch, grad) {
    const { x, y } = batch;
    let total = 0;
    if (grad) grad.fill(0);
    for (let r = 0; r < x.rows; r++) {
      const err = w[0] * x.data[r] + w[1] - y.data[r];
      total += err * err / 2;
      if (grad) { grad[0] += err * x.data[r] / x.rows; grad[1] += err / x.rows; }
    }
    return total / x.rows;
  },
};
const sgd = {
  name: 'sgd', settable: [], init: () => ({}), describe: () => ({ name: 'sgd' }),
  update(updates) { for (let i = 0; i < updates.length; i++) updates[i] *= -0.5; },
};
const dataset = await readCsvText({ text: ${JSON.stringify(csv)}, header: true, targets: 'y' });
let end;
await new Promise((resolve, reject) =>
  train({ objective, optimizer: sgd, params: [0, 0], loader: fullBatchLoader(dataset), epochs: 400 }).subscribe({
    next: (event) => { if (event.type === 'end') end = event; },
    error: reject,
    complete: resolve,
  }),
);
window.result = {
  exports: Object.keys(data).length,
  rows: dataset.x.rows,
  names: dataset.featureNames,
  reason: end.reason,
  params: end.params,
};
`;

let dir: string;
let browser: Browser | undefined;

beforeAll(async () => {
  // The page imports the packages as a user's app does: through their built \`browser\` entries.
  execFileSync(
    process.execPath,
    [join(packages, '../node_modules/typescript/bin/tsc'), '-b', join(packages, 'data/tsconfig.build.json')],
    {
      stdio: 'pipe',
    },
  );
  dir = mkdtempSync(join(tmpdir(), 'downhill-browser-'));
  mkdirSync(join(dir, 'node_modules/@downhill'), { recursive: true });
  for (const name of ['core', 'data'])
    symlinkSync(join(packages, name), join(dir, 'node_modules/@downhill', name));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
  writeFileSync(join(dir, 'main.js'), MAIN);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: chromiumArgs,
    headless: true,
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('@downhill/data in the browser', () => {
  it('bundles with a default Vite config (no Node module) and trains on CSV text in Chromium', async () => {
    const warnings: string[] = [];
    // As `vite build` runs for a user: production, so the \`development\` condition (this
    // workspace's sources) is not used and the package's built \`browser\` entry is.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    await build({
      mode: 'production',
      root: dir,
      configFile: false,
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
      build: { outDir: join(dir, 'dist'), target: 'es2022' },
    }).finally(() => {
      process.env.NODE_ENV = nodeEnv;
    });
    // Vite replaces a Node built-in with an empty stub and a warning: there must be none.
    expect(warnings.filter((w) => /externalized|node:|browser compatibility/.test(w))).toEqual([]);
    const bundle = readdirSync(join(dir, 'dist/assets'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(dir, 'dist/assets', f), 'utf8'))
      .join('\n');
    // Every export of the browser entry is in (the namespace import), and none of the Node-only ones.
    expect(bundle).toContain('csv-text');
    expect(bundle).not.toContain('json-lines');

    const server = await preview({
      root: dir,
      configFile: false,
      logLevel: 'error',
      build: { outDir: join(dir, 'dist') },
      preview: { host: '127.0.0.1', port: 0 },
    });
    try {
      const errors: string[] = [];
      const page = await browser!.newPage();
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(server.resolvedUrls!.local[0]!);
      await page.waitForFunction(
        () => (globalThis as { result?: unknown }).result !== undefined || false,
        undefined,
        {
          timeout: 30_000,
        },
      );
      const result = (await page.evaluate(() => (globalThis as { result?: unknown }).result)) as {
        exports: number;
        rows: number;
        names: string[];
        reason: string;
        params: number[];
      };
      expect(errors).toEqual([]);
      expect(result).toMatchObject({ rows: 40, names: ['x'], reason: 'completed' });
      expect(result.exports).toBe(25);
      // Oracle: the closed-form least-squares line through the same points.
      const n = points.length;
      const mx = points.reduce((s, [x]) => s + x, 0) / n;
      const my = points.reduce((s, [, y]) => s + y, 0) / n;
      const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
      const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
      const slope = sxy / sxx;
      expect(result.params[0]).toBeCloseTo(slope, 6);
      expect(result.params[1]).toBeCloseTo(my - slope * mx, 6);
    } finally {
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    }
  }, 120_000);
});
