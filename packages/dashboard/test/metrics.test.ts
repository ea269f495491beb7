// Charts beyond loss: the gradient norm per step and every epoch metric the runs record.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, type PageServer, screenshot, startPageServer } from './browser-harness.js';

let server: PageServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  server = await startPageServer();
  browser = await launchChromium();
  page = await openPage(browser, `${server.url}/test/pages/metrics.html`, errors);
  await page.waitForFunction(() => document.querySelectorAll('downhill-metric-chart').length === 2);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('metric charts', () => {
  it('draws the gradient norm of every step and the accuracy of every epoch', async () => {
    const charts = await page.evaluate(async () => {
      const all = [...document.querySelectorAll('downhill-metric-chart')];
      await Promise.all(all.map((c) => c.updateComplete));
      await new Promise((resolve) => requestAnimationFrame(resolve));
      return all.map((c) => ({
        metric: c.metric,
        heading: c.heading,
        lines: c.lines.map((l) => ({ label: l.label, length: l.length, first: l.y[0], x0: l.x[0] })),
        labels: c.plot?.tickLabels() ?? [],
      }));
    });
    expect(charts.map((c) => [c.metric, c.heading])).toEqual([
      ['gradNorm', 'Gradient norm'],
      ['accuracy', 'accuracy'],
    ]);
    // w0 = 4, target 1: the first gradient is 2 * (4 - 1) = 6; 80 steps each.
    expect(charts[0]!.lines).toEqual([
      { label: 'slow gradNorm', length: 80, first: 6, x0: 0 },
      { label: 'fast gradNorm', length: 80, first: 6, x0: 0 },
    ]);
    // Accuracy after epoch 0 (10 steps): slow w = 1 + 3 * 0.96^10.
    const slowAccuracy = 1 / (1 + 3 * 0.96 ** 10);
    expect(charts[1]!.lines.map((l) => l.length)).toEqual([8, 8]);
    expect(charts[1]!.lines[0]!.first).toBeCloseTo(slowAccuracy, 12);
    expect(charts[1]!.lines[0]!.x0).toBe(10);
    expect(charts.every((c) => c.labels.length >= 2)).toBe(true);
    // Every chart draws from the page's one store.
    const shared = await page.evaluate(() => {
      const curve = document.querySelector('downhill-learning-curve')!;
      return [...document.querySelectorAll('downhill-metric-chart')].every((c) => c.store === curve.store);
    });
    expect(shared).toBe(true);
    expect(await page.evaluate(() => document.querySelector('downhill-learning-curve')!.lines.length)).toBe(
      4,
    );
    await screenshot(page, 'metrics');
    expect(errors).toEqual([]);
  });
});
