import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepEvent, TrainEvent } from '@downhill/core';
import type { RunSummary } from '@downhill/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownhillServer } from '../src/index.js';
import { expectContiguous, testServer, waitFor } from './harness.js';
import { tinyRun } from './tiny-training.js';

let server: DownhillServer & { dir: string };
const STEPS = 3000;
beforeAll(async () => {
  const { dir } = { dir: join(process.env.TMPDIR ?? '/tmp', `downhill-static-${process.pid}`) };
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dashboard</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  server = await testServer({ staticDir: dir });
  await server.attach((control) => tinyRun({ steps: STEPS, runId: 'r 1', name: 'api' }, control)).done;
  await waitFor(() => server.runs()[0]?.status === 'ended');
});
afterAll(() => server.close());

const get = (path: string) => fetch(`${server.url}${path}`);
const getJson = async <T>(path: string): Promise<T> => (await get(path)).json() as Promise<T>;
interface EventsBody {
  exact: boolean;
  events: TrainEvent[];
}

describe('HTTP API', () => {
  it('lists runs and returns one run', async () => {
    const { runs } = await getJson<{ runs: RunSummary[] }>('/api/runs');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ runId: 'r 1', name: 'api', status: 'ended', step: STEPS });
    expect(await getJson('/api/runs/r%201')).toMatchObject({ runId: 'r 1' });
    expect((await get('/api/runs/nope')).status).toBe(404);
  });

  it('returns every event, or a min/max downsampling that keeps the extremes and the newest steps exact', async () => {
    const all = (await getJson<EventsBody>('/api/runs/r%201/events')).events;
    expect(all).toHaveLength(STEPS + 2);
    expectContiguous(all);
    const body = await getJson<EventsBody>('/api/runs/r%201/events?points=200');
    expect(body.exact).toBe(false);
    const sampled = body.events;
    const steps = sampled.filter((event): event is StepEvent => event.type === 'step');
    expect(steps.length).toBeLessThanOrEqual(200);
    expect(steps.length).toBeGreaterThan(100);
    // Non-step events are all kept.
    expect(sampled[0]?.type).toBe('start');
    expect(sampled.at(-1)?.type).toBe('end');
    // Oracle: in every bucket of seq the chosen events include that bucket's min and max loss.
    const allSteps = all.filter((event): event is StepEvent => event.type === 'step');
    const losses = allSteps.map((event) => event.loss);
    expect(steps.some((event) => event.loss === Math.max(...losses))).toBe(true);
    expect(steps.some((event) => event.loss === Math.min(...losses))).toBe(true);
    // The newest quarter of the points is exact.
    expect(steps.slice(-50).map((event) => event.seq)).toEqual(allSteps.slice(-50).map((event) => event.seq));
    // Strictly increasing seq.
    for (let i = 1; i < sampled.length; i++) expect(sampled[i]!.seq).toBeGreaterThan(sampled[i - 1]!.seq);
  });

  it('validates query parameters', async () => {
    const response = await get('/api/runs/r%201/events?points=abc');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/points/);
  });

  it('exports CSV and JSON', async () => {
    const csv = await (await get('/api/runs/r%201/export.csv')).text();
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('seq,type,time,step,epoch,batch,loss,validationLoss,gradNorm,learningRate,note');
    expect(lines).toHaveLength(STEPS + 3);
    const first = lines[2]!.split(',');
    expect(first.slice(0, 2)).toEqual(['1', 'step']);
    // Step 0 at w = 0: loss = 1/2 (1 + 4 + 9) = 7, |grad| = sqrt(14), learning rate 0.01.
    expect(Number(first[6])).toBe(7);
    expect(Number(first[8])).toBeCloseTo(Math.sqrt(14), 12);
    expect(Number(first[9])).toBe(0.01);
    const exported = await getJson<{ run: RunSummary; events: TrainEvent[] }>('/api/runs/r%201/export.json');
    expect(exported.run.runId).toBe('r 1');
    expect(exported.events).toHaveLength(STEPS + 2);
  });

  it('serves the dashboard files, falls back to index.html for routes, and refuses paths outside it', async () => {
    expect(await (await get('/assets/app.js')).text()).toBe('console.log(1)');
    expect(await (await get('/runs/abc')).text()).toContain('dashboard');
    // Raw paths (fetch would normalize them away) that try to climb out of the directory.
    const { request } = await import('node:http');
    const raw = (path: string) =>
      new Promise<[number, string]>((resolve) => {
        request(`${server.url}${path}`, (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve([response.statusCode ?? 0, text]));
        }).end();
      });
    for (const path of [
      '/../../../../etc/passwd',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/assets/../../../etc/hosts',
    ]) {
      const [, text] = await raw(path);
      expect(text).not.toMatch(/root:|localhost/);
    }
    expect((await raw('/..%2f..%2fpackage.json'))[0]).toBe(404);
    expect((await get('/missing.js')).status).toBe(404);
  });

  it('refuses requests for a foreign Host', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      request(`${server.url}/api/runs`, { headers: { host: 'evil.example' } }, (response) =>
        resolve(response.statusCode ?? 0),
      ).end();
    });
    expect(status).toBe(403);
  });
});
