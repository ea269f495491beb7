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
    // The trajectory draws from the charts' one store, and the run list's Best column shows the
    // best loss of the run's events (the server's summary has none; it lags by up to a second).
    expect(
      await page.evaluate(
        () =>
          document.querySelector('downhill-trajectory')!.store ===
          document.querySelector('downhill-learning-curve')!.store,
      ),
    ).toBe(true);
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const best = document.querySelector('downhill-learning-curve')!.store.get('local-run')!.bestLoss;
            const listed = document
              .querySelector('downhill-run-list')!
              .allRuns.find((r) => r.runId === 'local-run')!.bestLoss;
            return Number.isFinite(listed) && listed >= best;
          }),
        { timeout: 15_000 },
      )
      .toBe(true);
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
    // Every other hyperparameter the run accepts live (its start event's `settable`) can be set too.
    const choice = controls.getByRole('combobox', { name: 'hyperparameter to set' });
    await expect
      .poll(() => choice.locator('option').allTextContents(), { timeout: 15_000 })
      .toEqual(['momentum']);
    await controls.getByRole('spinbutton', { name: 'new hyperparameter value' }).fill('0.5');
    await controls.getByRole('button', { name: 'Set', exact: true }).click();
    await expect
      .poll(() => server.runs().find((r) => r.runId === 'local-run')?.hyperparams.momentum, {
        timeout: 15_000,
      })
      .toBe(0.5);
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
    // The tab's controls work on the restarted server: the command reaches the remote trainer,
    // whose next events carry the new learning rate back to the server and the chart.
    const controls = page.locator('downhill-run-controls');
    await controls.getByRole('spinbutton', { name: 'new learning rate' }).fill('0.003');
    await controls.getByRole('button', { name: 'Set learning rate' }).click();
    await expect
      .poll(() => server.runs().find((r) => r.runId === 'remote-run')?.learningRate, { timeout: 20_000 })
      .toBe(0.003);
    await expect
      .poll(() =>
        page.evaluate(() =>
          document
            .querySelector('downhill-learning-rate-chart')!
            .store.get('remote-run')
            ?.learningRates.last(),
        ),
      )
      .toBe(0.003);
    await shot('e2e-after-restart');
    expect(errors).toEqual([]);
  });
});

describe('layout, state and run management', () => {
  async function open(
    viewport: { width: number; height: number },
    url = `${server.url}/#token=${token}`,
  ): Promise<Page> {
    const context = await browser.newContext({ viewport });
    // Two cores shared with other work: actions may wait longer than playwright's 30 s default.
    context.setDefaultTimeout(90_000);
    const p = await context.newPage();
    p.on('pageerror', (error) => errors.push(`pageerror: ${error.stack ?? error.message}`));
    await p.goto(url);
    await expect
      .poll(() => p.locator('downhill-run-list tbody tr').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    return p;
  }

  const box = (p: Page, selector: string) =>
    p.evaluate((s) => {
      const r = document.querySelector(s)!.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width };
    }, selector);

  it('keeps the charts beside the run panel on a wide screen', async () => {
    const p = await open({ width: 1600, height: 1000 });
    const panel = await box(p, '#runs-panel');
    const curve = await box(p, 'downhill-learning-curve');
    expect(curve.left).toBeGreaterThanOrEqual(panel.right - 1);
    expect(curve.top).toBeLessThan(200);
    // Collapsing the panel gives the charts the width.
    await p.getByRole('button', { name: 'Runs' }).click();
    await expect.poll(async () => (await box(p, 'downhill-learning-curve')).left).toBeLessThan(40);
    await p.getByRole('button', { name: 'Runs' }).click();
    await p.screenshot({ path: join(artifacts, 'layout-1600x1000.png') });
    await p.context().close();
  });

  for (const viewport of [
    { width: 390, height: 844 },
    { width: 800, height: 1000 },
  ])
    it(`lays out one column at ${viewport.width}x${viewport.height} with the first chart on the first screen`, async () => {
      const p = await open(viewport);
      await p.getByRole('button', { name: 'remote sgd', exact: true }).click();
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(viewport.width);
      const plot = await p.evaluate(() => {
        const r = document
          .querySelector('downhill-learning-curve')!
          .shadowRoot!.querySelector('.plot')!
          .getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, right: r.right };
      });
      expect(plot.bottom).toBeLessThanOrEqual(viewport.height);
      expect(plot.right).toBeLessThanOrEqual(viewport.width);
      // The run list follows the charts.
      expect((await box(p, '#runs-panel')).top).toBeGreaterThan(plot.bottom);
      await p.screenshot({ path: join(artifacts, `layout-${viewport.width}x${viewport.height}.png`) });
      await p.context().close();
    });

  it('restores filter, selection, grouping, smoothing, axes and zoom after a reload and from a shared link', async () => {
    const p = await open({ width: 1400, height: 1000 });
    await p.getByRole('searchbox', { name: /filter runs/ }).fill('sgd');
    await p.getByRole('checkbox', { name: 'show remote sgd on the charts' }).check();
    await p.getByRole('checkbox', { name: 'show local sgd on the charts' }).check();
    await p.getByRole('combobox', { name: 'group runs by' }).selectOption('optimizer');
    await p.locator('downhill-learning-curve').getByRole('combobox', { name: 'y scale' }).selectOption('log');
    await p.locator('downhill-learning-curve').getByRole('slider', { name: 'smoothing' }).fill('0.3');
    await p.evaluate(() => document.querySelector('downhill-learning-curve')!.zoomTo({ min: 5, max: 40 }));
    const expected = {
      filter: 'sgd',
      selected: ['remote-run', 'local-run'].sort(),
      groupBy: 'optimizer',
      yScale: 'log',
      smoothing: 0.3,
      zoom: { min: 5, max: 40 },
    };
    const view = (q: Page) =>
      q.evaluate(() => {
        const list = document.querySelector('downhill-run-list')!;
        const curve = document.querySelector('downhill-learning-curve')!;
        return {
          filter: list.filter,
          selected: [...list.selected].sort(),
          groupBy: list.groupBy,
          yScale: curve.yScale,
          smoothing: curve.smoothing,
          zoom: curve.plot?.zoom ?? (curve as unknown as { zoomed: unknown }).zoomed,
        };
      });
    await expect.poll(() => view(p)).toEqual(expected);
    const link = p.url();
    expect(link).not.toContain(token);
    await p.reload();
    await expect.poll(() => view(p), { timeout: 15_000 }).toEqual(expected);
    // A fresh browser (no local storage) opening the shared link sees the same view.
    const q = await open({ width: 1400, height: 1000 }, link);
    await expect.poll(() => view(q), { timeout: 15_000 }).toEqual(expected);
    await expect
      .poll(() => q.locator('downhill-learning-curve .legend li').allTextContents())
      .toEqual([expect.stringContaining('sgd (2 runs)')]);
    await q.screenshot({ path: join(artifacts, 'state-shared-link.png') });
    await q.context().close();
    await p.context().close();
  }, 300_000);

  it('disables the controls and run edits without a token, and says why', async () => {
    const p = await open({ width: 1400, height: 1000 }, `${server.url}/`);
    await p.getByRole('button', { name: 'remote sgd', exact: true }).click();
    const controls = p.locator('downhill-run-controls');
    await expect.poll(() => controls.getByRole('button', { name: 'Stop' }).isDisabled()).toBe(true);
    expect(await controls.locator('.note').textContent()).toContain('Read-only: no launch token');
    const list = p.locator('downhill-run-list');
    const actions = list.getByRole('group', { name: 'focused run' });
    expect(await actions.getByRole('button', { name: 'Rename' }).isDisabled()).toBe(true);
    expect(await actions.getByRole('button', { name: 'Delete' }).isDisabled()).toBe(true);
    // Hiding is this browser's own business: no token needed.
    expect(await actions.getByRole('button', { name: 'Hide' }).isDisabled()).toBe(false);
    await p.context().close();
  });

  it('renames, tags, hides and deletes runs through the server', async () => {
    const p = await open({ width: 1400, height: 1000 });
    const list = p.locator('downhill-run-list');
    await p.getByRole('button', { name: 'local sgd', exact: true }).click();
    const actions = list.getByRole('group', { name: 'focused run' });
    await actions.getByRole('button', { name: 'Rename' }).click();
    await list.getByRole('textbox', { name: 'new name' }).fill('local sgd (renamed)');
    await list.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => server.runs().find((r) => r.runId === 'local-run')?.name, { timeout: 10_000 })
      .toBe('local sgd (renamed)');
    await expect
      .poll(() => list.locator('tr[data-run-id="local-run"] .name').textContent())
      .toBe('local sgd (renamed)');
    await actions.getByRole('button', { name: 'Tags' }).click();
    await list.getByRole('textbox', { name: /tags/ }).fill('baseline, sgd');
    await list.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => list.locator('tr[data-run-id="local-run"] .tag').allTextContents(), { timeout: 10_000 })
      .toEqual(['baseline', 'sgd']);
    // Hide: gone from the list (kept in this browser), back with "show hidden".
    await actions.getByRole('button', { name: 'Hide' }).click();
    await expect.poll(() => list.locator('tr[data-run-id="local-run"]').count()).toBe(0);
    await list.getByRole('checkbox', { name: /show 1 hidden/ }).check();
    await expect.poll(() => list.locator('tr[data-run-id="local-run"]').count()).toBe(1);
    // Delete the finished history run: it leaves the store and the list.
    await p.getByRole('button', { name: 'history sgd', exact: true }).click();
    await actions.getByRole('button', { name: 'Delete' }).click();
    await actions.getByRole('button', { name: 'Delete run' }).click();
    await expect
      .poll(() => server.runs().some((r) => r.runId === 'history-run'), { timeout: 10_000 })
      .toBe(false);
    await expect.poll(() => list.locator('tr[data-run-id="history-run"]').count()).toBe(0);
    await p.screenshot({ path: join(artifacts, 'runs-managed.png') });
    await p.context().close();
    expect(errors).toEqual([]);
  }, 300_000);
});
