// <downhill-run-controls> sets any hyperparameter the run accepts live, not only the learning rate.
import type { TrainEvent } from '@downhill/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, type PageServer, startPageServer } from './browser-harness.js';

let server: PageServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  server = await startPageServer();
  browser = await launchChromium();
  page = await openPage(browser, `${server.url}/test/pages/controls.html`, errors);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const events = () =>
  page.evaluate(() => (window as unknown as { harness: { events: TrainEvent[] } }).harness.events);

describe('run controls', () => {
  it("offers the run's other live hyperparameters and sets the chosen one on the live run", async () => {
    const controls = page.locator('downhill-run-controls');
    const choice = controls.getByRole('combobox', { name: 'hyperparameter to set' });
    await expect.poll(() => choice.count(), { timeout: 30_000 }).toBe(1);
    // learningRate has its own field: the choice holds the others the start event names.
    expect(await choice.locator('option').allTextContents()).toEqual(['momentum']);
    await controls.getByRole('spinbutton', { name: 'new hyperparameter value' }).fill('0.9');
    await controls.getByRole('button', { name: 'Set', exact: true }).click();
    await expect
      .poll(async () => (await events()).find((e) => e.type === 'hyperparam'), { timeout: 30_000 })
      .toMatchObject({
        type: 'hyperparam',
        name: 'momentum',
        value: 0.9,
        previous: 0.5,
        source: 'dashboard',
      });
    // The steps after it run with the new momentum.
    await expect
      .poll(async () => {
        const all = await events();
        const at = all.findIndex((e) => e.type === 'hyperparam');
        const later = all.slice(at).filter((e) => e.type === 'step');
        return later.length > 0 && later.every((e) => e.type === 'step' && e.hyperparams.momentum === 0.9);
      })
      .toBe(true);
    expect(errors).toEqual([]);
  });

  it('refuses a value that is not a finite number >= 0, naming the hyperparameter', async () => {
    const controls = page.locator('downhill-run-controls');
    await controls.getByRole('spinbutton', { name: 'new hyperparameter value' }).fill('-2');
    await controls.getByRole('button', { name: 'Set', exact: true }).click();
    await expect
      .poll(() => controls.getByRole('alert').textContent())
      .toContain('momentum must be a finite number >= 0');
    expect((await events()).filter((e) => e.type === 'hyperparam')).toHaveLength(1);
  });
});
