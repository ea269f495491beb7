// End to end: the built dashboard (dist/, as the server serves it) in Debian's headless Chromium,
// against a real @downhill/server with live runs: one trained inside the server's process, one
// published from another connection (a remote trainer, which survives a server restart).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publishRun } from '@downhill/client';
import { type DownhillServer, startServer } from '@downhill/server';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { Subscription } from 'rxjs';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pacedTraining } from './paced-training.js';

const appRoot = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(appRoot, 'dist');
const artifacts = join(appRoot, 'test-artifacts');
const token = 'e2e-launch-token';

let dataDir: string;
let server: DownhillServer;
let browser: Browser;
let page: Page;
let remote: Subscription;
const errors: string[] = [];

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

/** Steps drawn for a run in the learning curve (0 when not shown). */
function curveSteps(runName: string): Promise<number> {
  return page.evaluate(
    (label) =>
      document.querySelector('downhill-learning-curve')!.lines.find((l) => l.label === label)?.length ?? 0,
    `${runName} train`,
  );
}

function listStatus(runId: string): Promise<string | undefined> {
  return page.evaluate(
    (id) => document.querySelector('downhill-run-list')!.allRuns.find((r) => r.runId === id)?.status,
    runId,
  );
}

beforeAll(async () => {
  await build({ root: appRoot, logLevel: 'error', configFile: join(appRoot, 'vite.config.ts') });
  dataDir = mkdtempSync(join(tmpdir(), 'downhill-dashboard-e2e-'));
  server = await startServer({ port: 0, dataDir, staticDir: distDir, token });
  server.attach(
    pacedTraining({ runId: 'local-run', name: 'local sgd', learningRate: 0.01, landscape: true }),
  );
  server.attach(
    pacedTraining({
      runId: 'history-run',
      name: 'history sgd',
      learningRate: 0.005,
      stepsPerSecond: 100_000,
      epochs: 30,
    }),
  );
  remote = publishRun(pacedTraining({ runId: 'remote-run', name: 'remote sgd', learningRate: 0.004 }), {
    url: server.url,
    token,
    initialDelayMs: 100,
    maxDelayMs: 500,
  }).subscribe();
  browser = await chromium.launch({
    executablePath: process.env.DOWNHILL_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
  await page.goto(`${server.url}/#token=${token}`);
});

afterAll(async () => {
  remote?.unsubscribe();
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the dashboard served by a real server', () => {
  it('fills in the run list from the server', async () => {
    await expect
      .poll(() => page.locator('downhill-connection-status .badge').textContent(), { timeout: 15_000 })
      .toContain('Live');
    const rows = page.locator('downhill-run-list tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    await expect.poll(() => listStatus('local-run')).toBe('running');
    await expect.poll(() => listStatus('remote-run')).toBe('running');
    expect(errors).toEqual([]);
  });

  it('draws the learning curve of a live run and grows it', async () => {
    await page.getByRole('button', { name: 'local sgd', exact: true }).click();
    await expect.poll(() => curveSteps('local sgd'), { timeout: 15_000 }).toBeGreaterThan(20);
    const before = await curveSteps('local sgd');
    await expect.poll(() => curveSteps('local sgd'), { timeout: 10_000 }).toBeGreaterThan(before + 50);
    // The run's start config carried its loss surface: the trajectory draws the path over it.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const t = document.querySelector('downhill-trajectory')!;
          return { hidden: t.hidden, nx: t.surface?.nx, points: t.store.get('local-run')?.pathX.length ?? 0 };
        }),
      )
      .toMatchObject({ hidden: false, nx: 41 });
    await shot('e2e-live');
    expect(errors).toEqual([]);
  });

  it('redraws the line when the smoothing slider moves', async () => {
    const smoothedAt = () =>
      page.evaluate(() => {
        const curve = document.querySelector('downhill-learning-curve')!;
        const line = curve.lines.find((l) => l.label === 'local sgd train')!;
        return line.y[10]!;
      });
    const before = await smoothedAt();
    await page.getByRole('slider', { name: 'smoothing' }).fill('0.95');
    await expect
      .poll(() => page.evaluate(() => document.querySelector('downhill-learning-curve')!.smoothing))
      .toBe(0.95);
    await expect.poll(smoothedAt).not.toBe(before);
  });

  it('changes the learning rate of the live run through the server', async () => {
    const controls = page.locator('downhill-run-controls');
    await controls.getByRole('spinbutton', { name: 'new learning rate' }).fill('0.02');
    await controls.getByRole('button', { name: 'Set learning rate' }).click();
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const run = document.querySelector('downhill-learning-rate-chart')!.store.get('local-run');
            return run
              ? { lr: run.learningRates.last(), marks: run.marks.map((m) => `${m.name}=${m.value}`) }
              : undefined;
          }),
        { timeout: 15_000 },
      )
      .toEqual({ lr: 0.02, marks: ['learningRate=0.02'] });
    expect(server.runs().find((r) => r.runId === 'local-run')?.learningRate).toBe(0.02);
  });

  it('stops the live run through the server', async () => {
    await page.locator('downhill-run-controls').getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => listStatus('local-run'), { timeout: 15_000 }).toBe('stopped');
    expect(server.runs().find((r) => r.runId === 'local-run')).toMatchObject({
      status: 'ended',
      endReason: 'stopped',
    });
    await shot('e2e-stopped');
    expect(errors).toEqual([]);
  });

  it('fetches the exact events of a zoomed range when the history arrived downsampled', async () => {
    await expect
      .poll(() => server.runs().find((r) => r.runId === 'history-run')?.status, { timeout: 15_000 })
      .toBe('ended');
    const second = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    second.on('pageerror', (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
    await second.goto(`${server.url}/?maxPoints=300#token=${token}`);
    await second.getByRole('button', { name: 'history sgd', exact: true }).click();
    const stepsIn = (min: number, max: number) =>
      second.evaluate(
        ([min, max]) => {
          const run = document.querySelector('downhill-learning-curve')!.store.get('history-run');
          if (!run) return -1;
          let count = 0;
          for (let i = 0; i < run.steps.length; i++)
            if (run.steps.at(i) >= min! && run.steps.at(i) <= max!) count++;
          return count;
        },
        [min, max],
      );
    // The history came downsampled: far fewer than the 3,000 steps, but the spikes' extremes kept.
    await expect.poll(() => stepsIn(0, 3000), { timeout: 15_000 }).toBeGreaterThan(100);
    expect(await stepsIn(0, 3000)).toBeLessThan(1500);
    expect(await stepsIn(1000, 1100)).toBeLessThan(101);
    await second.evaluate(() =>
      document.querySelector('downhill-learning-curve')!.plot!.setZoom({ min: 1000, max: 1100 }, true),
    );
    await expect.poll(() => stepsIn(1000, 1100), { timeout: 15_000 }).toBe(101);
    await second.screenshot({ path: join(artifacts, 'e2e-zoom-detail.png'), fullPage: true });
    await second.close();
    expect(errors).toEqual([]);
  });

  it('resumes the charts after the server restarts', async () => {
    await page.getByRole('button', { name: 'remote sgd', exact: true }).click();
    await expect.poll(() => curveSteps('remote sgd'), { timeout: 15_000 }).toBeGreaterThan(20);
    const port = server.port;
    await server.close();
    await expect
      .poll(() => page.locator('downhill-connection-status .badge').textContent(), { timeout: 15_000 })
      .toMatch(/Reconnecting|Connecting/);
    const beforeRestart = await curveSteps('remote sgd');
    server = await startServer({ port, dataDir, staticDir: distDir, token });
    await expect
      .poll(() => page.locator('downhill-connection-status .badge').textContent(), { timeout: 20_000 })
      .toContain('Live');
    // The remote trainer reconnects and goes on; the chart picks up where it was, without gaps.
    await expect
      .poll(() => curveSteps('remote sgd'), { timeout: 20_000 })
      .toBeGreaterThan(beforeRestart + 50);
    const contiguous = await page.evaluate(() => {
      const run = document.querySelector('downhill-learning-curve')!.store.get('remote-run')!;
      for (let i = 1; i < run.steps.length; i++)
        if (run.steps.at(i) !== run.steps.at(i - 1) + 1) return false;
      return true;
    });
    expect(contiguous).toBe(true);
    await expect.poll(() => listStatus('local-run')).toBe('stopped');
    await shot('e2e-after-restart');
    expect(errors).toEqual([]);
  });
});
