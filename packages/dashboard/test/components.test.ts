// The components in real headless Chromium (Debian's), with runs trained in the page by core's
// train(): no server involved. Screenshots go to test-artifacts/ (git-ignored).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, type PageServer, screenshot, startPageServer } from './browser-harness.js';

let server: PageServer;
let browser: Browser;

beforeAll(async () => {
  server = await startPageServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Lengths of the learning curve's lines, by label. */
function curveLengths(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() =>
    Object.fromEntries(
      document.querySelector('downhill-learning-curve')!.lines.map((l) => [l.label, l.length]),
    ),
  );
}

describe('live runs trained in the page', () => {
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    page = await openPage(browser, `${server.url}/test/pages/components.html`, errors);
  });

  it('fills in the run list with status, optimizer and hyperparameters', async () => {
    const rows = page.locator('downhill-run-list tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    await expect
      .poll(() => rows.first().textContent())
      .toMatch(/sgd lr 0\.01\s*running[\s\S]*sgd\s*learningRate=0\.01 momentum=0\.5/);
    await expect(page.getByRole('img', { name: 'live' }).count()).resolves.toBe(2);
    // The filter takes text and /regex/.
    const filter = page.getByRole('searchbox', { name: /filter runs/ });
    await filter.fill('/0\\.003$/');
    await expect.poll(() => rows.count()).toBe(1);
    await filter.fill('');
    await expect.poll(() => rows.count()).toBe(2);
    expect(errors).toEqual([]);
  });

  it('draws the learning curve and grows it while the runs train', async () => {
    await expect
      .poll(async () => (await curveLengths(page))['sgd lr 0.01 train'] ?? 0, { timeout: 15_000 })
      .toBeGreaterThan(50);
    const before = await curveLengths(page);
    await page.waitForTimeout(800);
    const after = await curveLengths(page);
    expect(after['sgd lr 0.01 train']).toBeGreaterThan(before['sgd lr 0.01 train']!);
    expect(after['sgd lr 0.003 train']).toBeGreaterThan(before['sgd lr 0.003 train']!);
    // The domain follows the live runs: the drawn x range ends at the newest step.
    const { domainMax, lastStep } = await page.evaluate(() => {
      const curve = document.querySelector('downhill-learning-curve')!;
      const line = curve.lines[0]!;
      return { domainMax: curve.plot!.domain.max, lastStep: line.x[line.length - 1]! };
    });
    expect(domainMax).toBeGreaterThanOrEqual(lastStep - 50);
    // The trajectory draws each run's path over the contour of the loss.
    const path = await page.evaluate(() => {
      const t = document.querySelector('downhill-trajectory')!;
      return { points: t.store.get('run-a')!.pathX.length, surface: t.surface?.nx };
    });
    expect(path.points).toBeGreaterThan(50);
    expect(path.surface).toBe(120);
    // The curve, the learning-rate chart and the trajectory hold the runs once: the feed's store.
    const shared = await page.evaluate(() => {
      const feed = (window as unknown as { harness: { feed: { store: unknown } } }).harness.feed;
      return ['downhill-learning-curve', 'downhill-learning-rate-chart', 'downhill-trajectory'].map(
        (tag) => (document.querySelector(tag) as unknown as { store: unknown }).store === feed.store,
      );
    });
    expect(shared).toEqual([true, true, true]);
    await screenshot(page, 'components-live');
    expect(errors).toEqual([]);
  });

  it('changes the learning rate of a live run and shows it in the charts', async () => {
    await page.getByRole('button', { name: 'sgd lr 0.01', exact: true }).click();
    const controls = page.locator('downhill-run-controls');
    await expect.poll(() => controls.locator('.name').textContent()).toBe('sgd lr 0.01');
    await controls.getByRole('spinbutton', { name: 'new learning rate' }).fill('0.05');
    await controls.getByRole('button', { name: 'Set learning rate' }).click();
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const run = document.querySelector('downhill-learning-rate-chart')!.store.get('run-a')!;
            return {
              lr: run.learningRates.last(),
              marks: run.marks.map((m) => `${m.name}=${m.value} by ${m.source}`),
            };
          }),
        { timeout: 10_000 },
      )
      .toEqual({ lr: 0.05, marks: ['learningRate=0.05 by dashboard'] });
    // The other run is untouched.
    const other = await page.evaluate(() =>
      document.querySelector('downhill-learning-rate-chart')!.store.get('run-b')!.learningRates.last(),
    );
    expect(other).toBe(0.003);
    // A bad value is refused with a message instead of being sent.
    await controls.getByRole('spinbutton', { name: 'new learning rate' }).fill('-1');
    await controls.getByRole('button', { name: 'Set learning rate' }).click();
    await expect
      .poll(() => controls.getByRole('alert').textContent())
      .toMatch(/must be a finite number >= 0/);
    expect(errors).toEqual([]);
  });

  it('pauses, resumes and stops a live run', async () => {
    const controls = page.locator('downhill-run-controls');
    const status = () =>
      page.evaluate(
        () => document.querySelector('downhill-run-list')!.allRuns.find((r) => r.runId === 'run-a')!.status,
      );
    await controls.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(status, { timeout: 10_000 }).toBe('paused');
    await controls.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(status, { timeout: 10_000 }).toBe('running');
    await controls.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(status, { timeout: 10_000 }).toBe('stopped');
    const stepsAtStop = (await curveLengths(page))['sgd lr 0.01 train']!;
    await page.waitForTimeout(500);
    expect((await curveLengths(page))['sgd lr 0.01 train']).toBe(stepsAtStop);
    expect((await curveLengths(page))['sgd lr 0.003 train']).toBeGreaterThan(0);
    await expect(controls.getByRole('button', { name: 'Stop' }).isDisabled()).resolves.toBe(true);
    // Both runs selected: the comparison table highlights the hyperparameters that differ.
    for (const name of ['show sgd lr 0.01 on the charts', 'show sgd lr 0.003 on the charts'])
      await page.getByRole('checkbox', { name }).check();
    const table = page.locator('downhill-comparison-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    await expect(table.locator('th.differs', { hasText: 'momentum' }).count()).resolves.toBe(1);
    await expect(table.locator('th.differs', { hasText: 'seed' }).count()).resolves.toBe(0);
    await table.getByRole('button', { name: 'momentum' }).click();
    await expect
      .poll(() => table.locator('tbody th').allTextContents())
      .toEqual(['sgd lr 0.01', 'sgd lr 0.003']);
    await table.getByRole('button', { name: /momentum/ }).click();
    await expect
      .poll(() => table.locator('tbody th').allTextContents())
      .toEqual(['sgd lr 0.003', 'sgd lr 0.01']);
    await screenshot(page, 'components-stopped');
    expect(errors).toEqual([]);
  });
});

describe('a finished run given as an array', () => {
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    page = await openPage(browser, `${server.url}/test/pages/history.html`, errors);
    await page.waitForFunction(
      () => (document.querySelector('downhill-learning-curve')?.plot?.drawnPoints ?? 0) > 0,
    );
  });

  const canvasData = () =>
    page.evaluate(() => document.querySelector('downhill-learning-curve')!.plot!.canvas.toDataURL());

  it('decimates 20,000 steps to a few points per pixel column', async () => {
    const { drawn, width } = await page.evaluate(() => {
      const plot = document.querySelector('downhill-learning-curve')!.plot!;
      return { drawn: plot.drawnPoints, width: plot.canvas.width };
    });
    expect(drawn).toBeGreaterThan(100);
    // Raw and smoothed lines: at most 4 points per column each (plus 200 validation points).
    expect(drawn).toBeLessThanOrEqual(2 * 4 * width + 200 + 8);
  });

  it('redraws the smoothed line when the smoothing slider moves, keyboard included', async () => {
    const before = await canvasData();
    const slider = page.getByRole('slider', { name: 'smoothing' });
    await slider.focus();
    await page.keyboard.press('End');
    await expect
      .poll(() => page.evaluate(() => document.querySelector('downhill-learning-curve')!.smoothing))
      .toBe(0.99);
    await expect.poll(canvasData).not.toBe(before);
    // The drawn smoothed line is TensorBoard's debiased EMA of the raw losses (core's emaSmooth).
    const check = await page.evaluate(() => {
      const curve = document.querySelector('downhill-learning-curve')!;
      const smoothed = curve.lines.find((l) => l.label === 'history train')!;
      const raw = curve.lines.find((l) => l.label === 'history train (raw)')!;
      const h = (
        window as unknown as { harness: { emaSmooth: (v: ArrayLike<number>, w: number) => number[] } }
      ).harness;
      const oracle = h.emaSmooth(Array.from(raw.y).slice(0, raw.length), 0.99);
      let worst = 0;
      for (let i = 0; i < raw.length; i++) worst = Math.max(worst, Math.abs(smoothed.y[i]! - oracle[i]!));
      return { worst, length: smoothed.length };
    });
    expect(check.length).toBe(20_000);
    expect(check.worst).toBeLessThan(1e-9);
    await screenshot(page, 'history-smoothed');
    await slider.fill('0');
    await expect
      .poll(() => page.evaluate(() => document.querySelector('downhill-learning-curve')!.lines.length))
      .toBe(1); // the raw line alone (this run has no validation data)
  });

  it('zooms by dragging, re-decimating the zoomed range, and resets', async () => {
    const over = page.locator('downhill-learning-curve .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const zoomed = await page.evaluate(() => {
      const curve = document.querySelector('downhill-learning-curve')!;
      return {
        domain: curve.plot!.domain,
        zooms: (window as unknown as { harness: { zooms: unknown[] } }).harness.zooms,
      };
    });
    expect(zoomed.zooms).toHaveLength(1);
    expect(zoomed.domain.max - zoomed.domain.min).toBeLessThan(2000);
    expect(zoomed.domain.min).toBeGreaterThan(6000);
    // Zoomed in, every step in the range is drawn (detail appears), and CSV holds just that range.
    const csvRows = await page.evaluate(
      () => document.querySelector('downhill-learning-curve')!.toCsv().trim().split('\n').length,
    );
    expect(csvRows).toBeGreaterThan(100);
    expect(csvRows).toBeLessThan(2 * 2000);
    await screenshot(page, 'history-zoomed');
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    const reset = await page.evaluate(() => document.querySelector('downhill-learning-curve')!.plot!.domain);
    expect(reset).toEqual({ min: 0, max: 19_999 });
  });

  it('zooms from the keyboard with the toolbar buttons', async () => {
    const zoomIn = page.getByRole('button', { name: 'Zoom in' });
    await zoomIn.focus();
    await page.keyboard.press('Enter');
    const domain = await page.evaluate(() => document.querySelector('downhill-learning-curve')!.plot!.domain);
    expect(domain.max - domain.min).toBeCloseTo(19_999 / 2, 6);
    await page.getByRole('button', { name: 'Zoom out' }).click();
    const back = await page.evaluate(() => document.querySelector('downhill-learning-curve')!.plot!.domain);
    expect(back).toEqual({ min: 0, max: 19_999 });
  });

  it('follows the system colour scheme', async () => {
    const background = () =>
      page.evaluate(
        () => getComputedStyle(document.querySelector('downhill-learning-curve')!).backgroundColor,
      );
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).toBe('rgb(20, 23, 27)');
    // The plot is rebuilt with the dark palette.
    await expect
      .poll(() => page.evaluate(() => document.querySelector('downhill-learning-curve')!.lines[0]?.color))
      .toBe('#5aa9ff');
    await screenshot(page, 'history-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect
      .poll(() => page.evaluate(() => document.querySelector('downhill-learning-curve')!.lines[0]?.color))
      .toBe('#1f77b4');
  });

  it('shows the value under the pointer in the legend, raw values on demand', async () => {
    const over = page.locator('downhill-learning-curve .u-over');
    await over.waitFor({ state: 'visible' });
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect
      .poll(() => page.locator('downhill-learning-curve .readout').textContent())
      .toMatch(/at step \d+/);
    await expect
      .poll(() => page.locator('downhill-learning-curve .legend').textContent())
      .toMatch(/history\s*-?\d/);
    await page.evaluate(() => {
      document.querySelector('downhill-learning-curve')!.smoothing = 0.6;
    });
    await page.locator('downhill-learning-curve').getByRole('checkbox', { name: 'raw values' }).check();
    await page.mouse.move(box.x + box.width / 2 + 5, box.y + box.height / 2);
    await expect
      .poll(() => page.locator('downhill-learning-curve .readout').textContent())
      .toMatch(/history train \(raw\): -?\d/);
  });

  it('projects a 3-parameter run onto a 2-D landscape slice', async () => {
    const result = await page.evaluate(() => {
      const trajectory = document.querySelector('downhill-trajectory')!;
      const run = trajectory.store.get('bowl')!;
      const path = trajectory.path(run);
      return {
        length: path.x.length,
        x: Array.from(path.x.toArray()),
        y: Array.from(path.y.toArray()),
        full: run.fullPath.map((p) => Array.from(p)),
      };
    });
    expect(result.length).toBe(result.full.length);
    expect(result.length).toBeGreaterThan(50);
    // Oracle: with d1 = (1,0,0) and d2 = (0,1,1) orthogonal, x = w0 and y = (w1 + w2) / 2.
    result.full.forEach((w, i) => {
      expect(result.x[i]).toBeCloseTo(w[0]!, 12);
      expect(result.y[i]).toBeCloseTo((w[1]! + w[2]!) / 2, 12);
    });
    await screenshot(page, 'history-slice');
  });

  it('exports a PNG and switches to a log y axis and an epoch x axis', async () => {
    const size = await page.evaluate(
      async () => (await document.querySelector('downhill-learning-curve')!.toPng()).size,
    );
    expect(size).toBeGreaterThan(1000);
    await page.getByRole('combobox', { name: 'x axis' }).selectOption('epoch');
    await expect
      .poll(() => page.evaluate(() => document.querySelector('downhill-learning-curve')!.plot!.domain.max))
      .toBeCloseTo(199.99, 1);
    expect(errors).toEqual([]);
  });
});
