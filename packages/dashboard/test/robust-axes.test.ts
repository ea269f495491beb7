// The axes on the cases that used to break them: a diverged run (losses up to 1e308, then
// Infinity) beside healthy ones, and a loss falling through 1e-29 to 0, on linear and log axes.
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
  page = await openPage(browser, `${server.url}/test/pages/robust.html`, errors);
  await page.waitForFunction(() =>
    [...document.querySelectorAll('downhill-learning-curve')].every((c) => (c.plot?.drawnPoints ?? 0) > 0),
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface AxisState {
  labels: readonly string[];
  range: { min: number; max: number };
  ends: { label: string; x: number; y: number }[];
}

function axis(id: string): Promise<AxisState> {
  return page.evaluate((id) => {
    const plot = document.querySelector<HTMLElementTagNameMap['downhill-learning-curve']>(`#${id}`)!.plot!;
    return { labels: plot.tickLabels(), range: plot.yRange(), ends: plot.divergedEnds() };
  }, id);
}

async function setScale(id: string, scale: 'linear' | 'log'): Promise<void> {
  await page.locator(`#${id}`).getByRole('combobox', { name: 'y scale' }).selectOption(scale);
  await expect
    .poll(() =>
      page.evaluate(
        (id) =>
          document
            .querySelector<HTMLElementTagNameMap['downhill-learning-curve']>(`#${id}`)!
            .plot!.tickLabels()
            .join(),
        id,
      ),
    )
    .not.toBe('');
}

describe('a diverged run beside healthy ones', () => {
  it('keeps tick labels and scales to the healthy runs when outliers are ignored (linear)', async () => {
    const state = await axis('diverging');
    expect(state.labels.length).toBeGreaterThanOrEqual(3);
    expect(state.labels.every((l) => /^-?[\d.]+(e-?\d+)?$/.test(l))).toBe(true);
    // The healthy runs start at 9 (w = 3): the range is about their scale, not 1e308's.
    expect(state.range.max).toBeLessThan(100);
    expect(state.range.max).toBeGreaterThan(0.5);
    // The diverged line ends at its last plottable loss (past 1e290; above 1e300 counts as
    // overflow, see yRange), marked.
    expect(state.ends).toHaveLength(1);
    expect(state.ends[0]!.label).toBe('lr 1.1 train');
    expect(state.ends[0]!.y).toBeGreaterThan(1e290);
    expect(Number.isFinite(state.ends[0]!.y)).toBe(true);
    await screenshot(page, 'robust-linear');
  });

  it('scales to every point when outliers are shown, still with labels', async () => {
    const box = page.locator('#diverging').getByRole('checkbox', { name: 'ignore outliers' });
    await box.uncheck();
    await expect.poll(async () => (await axis('diverging')).range.max).toBeGreaterThan(1e290);
    const state = await axis('diverging');
    expect(state.labels.length).toBeGreaterThanOrEqual(3);
    await box.check();
    await expect.poll(async () => (await axis('diverging')).range.max).toBeLessThan(100);
  });

  it('keeps labels on a log axis', async () => {
    await setScale('diverging', 'log');
    const state = await axis('diverging');
    expect(state.labels.length).toBeGreaterThanOrEqual(2);
    expect(state.range.min).toBeGreaterThan(0);
    expect(state.ends).toHaveLength(1);
    await screenshot(page, 'robust-log');
    expect(errors).toEqual([]);
  });
});

describe('a loss that falls through 1e-29 to 0', () => {
  it('draws on a linear axis with labels', async () => {
    const state = await axis('tiny');
    expect(state.labels.length).toBeGreaterThanOrEqual(3);
    expect(state.range.max).toBeGreaterThan(0);
  });

  it('draws on a log axis down to the smallest positive loss, zeros skipped, no exception', async () => {
    await setScale('tiny', 'log');
    const state = await axis('tiny');
    expect(state.labels.length).toBeGreaterThanOrEqual(2);
    expect(state.labels.some((l) => l.includes('e-'))).toBe(true);
    const lowest = await page.evaluate(() => {
      const line =
        document.querySelector<HTMLElementTagNameMap['downhill-learning-curve']>('#tiny')!.lines[0]!;
      let min = Number.POSITIVE_INFINITY;
      // Denormals (below 1e-300) are skipped like zeros: see yRange.
      for (let i = 0; i < line.length; i++) if (line.y[i]! >= 1e-300 && line.y[i]! < min) min = line.y[i]!;
      return min;
    });
    expect(lowest).toBeLessThan(1e-29);
    await page.locator('#tiny').getByRole('checkbox', { name: 'ignore outliers' }).uncheck();
    await expect.poll(async () => (await axis('tiny')).range.min).toBeLessThanOrEqual(lowest);
    expect((await axis('tiny')).labels.length).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'robust-tiny-log');
    expect(errors).toEqual([]);
  });
});
