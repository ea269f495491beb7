// Twelve runs on one chart: a persistent legend with a distinct colour per run (matching the
// run list's swatches), one value per run under the pointer, and exports that say what they show.
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
  page = await openPage(browser, `${server.url}/test/pages/many.html`, errors);
  await page.waitForFunction(
    () => (document.querySelector('downhill-learning-curve')?.plot?.drawnPoints ?? 0) > 0,
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('twelve runs on one learning curve', () => {
  it('lists every run in the legend, each in its own colour', async () => {
    const legend = await page.evaluate(() =>
      [...document.querySelector('downhill-learning-curve')!.shadowRoot!.querySelectorAll('.legend li')].map(
        (li) => ({
          text: li.textContent!.trim(),
          color: getComputedStyle(li.querySelector('.swatch')!).backgroundColor,
        }),
      ),
    );
    const names = await page.evaluate(
      () => (window as unknown as { harness: { names: string[] } }).harness.names,
    );
    expect(legend.map((l) => l.text)).toEqual(names);
    expect(new Set(legend.map((l) => l.color)).size).toBe(12);
    // The lines are drawn in the legend's colours.
    const lineColors = await page.evaluate(() =>
      document.querySelector('downhill-learning-curve')!.legendEntries.map((e) => e.color),
    );
    expect(new Set(lineColors).size).toBe(12);
  });

  it("gives each run the same colour in the run list's swatches", async () => {
    const [chart, list] = await page.evaluate(() => {
      const rgb = (el: Element) => getComputedStyle(el).backgroundColor;
      const chart = [
        ...document.querySelector('downhill-learning-curve')!.shadowRoot!.querySelectorAll('.legend li'),
      ].map((li) => [li.textContent!.trim(), rgb(li.querySelector('.swatch')!)]);
      const list = [
        ...document.querySelector('downhill-run-list')!.shadowRoot!.querySelectorAll('tbody tr'),
      ].map((tr) => [tr.querySelector('.name')!.textContent!.trim(), rgb(tr.querySelector('.swatch')!)]);
      return [Object.fromEntries(chart), Object.fromEntries(list)];
    });
    expect(Object.keys(list)).toHaveLength(12);
    expect(list).toEqual(chart);
  });

  it('shows one value per run under the pointer, sortable by value', async () => {
    const over = page.locator('downhill-learning-curve .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    const values = () =>
      page.evaluate(() =>
        [
          ...document.querySelector('downhill-learning-curve')!.shadowRoot!.querySelectorAll('.legend li'),
        ].map((li) => ({
          name: li.childNodes[2]?.textContent?.trim() ?? li.textContent!,
          value: Number(li.querySelector('.value')?.textContent ?? Number.NaN),
        })),
      );
    await expect.poll(async () => (await values()).filter((v) => Number.isFinite(v.value)).length).toBe(12);
    // The raw lines are not listed until asked for.
    expect(await page.locator('downhill-learning-curve .readout').textContent()).not.toContain('(raw)');
    await page.locator('downhill-learning-curve').getByRole('checkbox', { name: 'sort by value' }).check();
    await page.mouse.move(box.x + box.width * 0.3 + 3, box.y + box.height / 2);
    await expect
      .poll(async () => {
        const v = (await values()).map((e) => e.value);
        return v.every((x, i) => i === 0 || v[i - 1]! >= x);
      })
      .toBe(true);
    await screenshot(page, 'legends-12-runs');
    expect(errors).toEqual([]);
  });

  it('exports a PNG with title and legend, named after the chart and its runs', async () => {
    const result = await page.evaluate(async () => {
      const curve = document.querySelector('downhill-learning-curve')!;
      const blob = await curve.toPng();
      const bitmap = await createImageBitmap(blob);
      return {
        width: bitmap.width,
        height: bitmap.height,
        plotHeight: curve.plot!.canvas.height,
        plotWidth: curve.plot!.canvas.width,
        png: curve.fileName('png'),
        csv: curve.fileName('csv'),
      };
    });
    expect(result.width).toBe(result.plotWidth);
    // A title band above and at least one legend row below the plot.
    expect(result.height).toBeGreaterThan(result.plotHeight + 40);
    expect(result.png).toBe('learning-curve--lr-0.005-1--lr-0.01-1--lr-0.02-1--and-9-more.png');
    expect(result.csv).toBe('learning-curve--lr-0.005-1--lr-0.01-1--lr-0.02-1--and-9-more.csv');
    expect(errors).toEqual([]);
  });
});

describe('grouping the twelve runs', () => {
  it('groups the list by a config field and draws each group as a mean with a min-max band', async () => {
    const list = page.locator('downhill-run-list');
    await list.getByRole('combobox', { name: 'group runs by' }).selectOption('learningRate');
    const groupRows = list.locator('tbody tr.group');
    await expect.poll(() => groupRows.count()).toBe(4);
    expect(await groupRows.first().textContent()).toMatch(/learningRate = 0\.005\s*3 runs · loss mean/);
    const lines = () =>
      page.evaluate(() =>
        document
          .querySelector('downhill-learning-curve')!
          .lines.map((l) => ({ label: l.label, fillTo: l.fillTo, legend: l.legend })),
      );
    await expect
      .poll(async () => (await lines()).filter((l) => l.legend).map((l) => l.legend))
      .toEqual([
        'learningRate = 0.005 (3 runs)',
        'learningRate = 0.01 (3 runs)',
        'learningRate = 0.02 (3 runs)',
        'learningRate = 0.04 (3 runs)',
      ]);
    expect((await lines()).filter((l) => l.fillTo).length).toBe(4);
    // The mean at step 0 is the mean of the three runs' first losses (w0 = 1, 2, 3: 1, 4, 9).
    const first = await page.evaluate(() => {
      const line = document
        .querySelector('downhill-learning-curve')!
        .lines.find((l) => l.label.endsWith('mean'))!;
      const max = document
        .querySelector('downhill-learning-curve')!
        .lines.find((l) => l.label.endsWith('max'))!;
      return { x: line.x[0], mean: line.y[0], max: max.y[0] };
    });
    expect(first.x).toBe(0);
    expect(first.mean).toBeCloseTo(14 / 3, 9);
    expect(first.max).toBe(9);
    await screenshot(page, 'legends-grouped');
    await list.getByRole('combobox', { name: 'group runs by' }).selectOption('');
    await expect.poll(async () => (await lines()).filter((l) => l.legend).length).toBe(12);
    expect(errors).toEqual([]);
  });

  it('sorts the list by a column, both ways', async () => {
    const list = page.locator('downhill-run-list');
    const names = () => list.locator('tbody tr .name').allTextContents();
    await list.getByRole('button', { name: /^Loss/ }).click();
    const ascending = await page.evaluate(() =>
      document.querySelector('downhill-run-list')!.visibleRuns.map((r) => r.loss),
    );
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(await list.locator('th[aria-sort="ascending"]').textContent()).toContain('Loss');
    await list.getByRole('button', { name: /^Loss/ }).click();
    const descending = await page.evaluate(() =>
      document.querySelector('downhill-run-list')!.visibleRuns.map((r) => r.loss),
    );
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    expect((await names())[0]).toBe(
      await page.evaluate(() => document.querySelector('downhill-run-list')!.visibleRuns[0]!.name),
    );
  });
});
