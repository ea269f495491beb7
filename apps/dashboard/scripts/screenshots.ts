// Screenshots of the dashboard's main views at 1600x1000 and 390x844, from the built app served
// by a real server with live and finished runs: `pnpm --filter @downhill/dashboard-app screenshots
// [outDir]` (default test-artifacts/screenshots; the images are not committed). Builds the app first.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '@downhill/server';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { pacedTraining } from '../test/paced-training.js';

const appRoot = fileURLToPath(new URL('..', import.meta.url));
const outDir = process.argv[2] ?? join(appRoot, 'test-artifacts', 'screenshots');
const token = 'screenshot-token';

await build({ root: appRoot, logLevel: 'error', configFile: join(appRoot, 'vite.config.ts') });
mkdirSync(outDir, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'downhill-screenshots-'));
const server = await startServer({ port: 0, dataDir, staticDir: join(appRoot, 'dist'), token });
try {
  // Finished runs: three learning rates over two seeds, one of them too large (it diverges).
  for (const [i, lr] of [0.002, 0.005, 0.01, 0.002, 0.005, 0.01].entries())
    server.attach(
      pacedTraining({
        runId: `finished-${i}`,
        name: `sgd lr ${lr} seed ${i < 3 ? 1 : 2}`,
        learningRate: lr,
        stepsPerSecond: 100_000,
        epochs: 8,
        seed: i < 3 ? 1 : 2,
      }),
    );
  server.attach(
    pacedTraining({
      runId: 'diverging',
      name: 'sgd lr 0.5',
      learningRate: 0.5,
      stepsPerSecond: 100_000,
      epochs: 8,
    }),
  );
  for (const [i, lr] of [0.003, 0.008].entries())
    server.attach(
      pacedTraining({ runId: `live-${i}`, name: `live sgd lr ${lr}`, learningRate: lr, landscape: i === 0 }),
    );
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const browser = await chromium.launch({
    executablePath: process.env.DOWNHILL_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  const views: { name: string; query: string }[] = [
    { name: 'live', query: '' },
    { name: 'compare', query: '?runs=finished-0,finished-1,finished-2,diverging' },
    {
      name: 'grouped',
      query: '?runs=finished-0,finished-1,finished-2,finished-3,finished-4,finished-5&group=config',
    },
    { name: 'log-scale', query: '?runs=finished-0,finished-2,diverging&y=log' },
  ];
  for (const viewport of [
    { width: 1600, height: 1000 },
    { width: 390, height: 844 },
  ])
    for (const view of views) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`${view.name}: ${error.message}`));
      await page.goto(`${server.url}/${view.query}#token=${token}`);
      await page.waitForFunction(
        () => (document.querySelector('downhill-learning-curve')?.plot?.drawnPoints ?? 0) > 0,
        undefined,
        { timeout: 20_000 },
      );
      await page.waitForTimeout(1000);
      const file = join(outDir, `${view.name}-${viewport.width}x${viewport.height}.png`);
      await page.screenshot({ path: file });
      console.log(file);
      await context.close();
    }
  await browser.close();
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
