import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, FIXTURES, runCli, startCli } from './run-cli.js';

// Kill `downhill train` with SIGKILL at random steps, resume it, and check that the result is the
// uninterrupted run's, bit for bit, with an event log that has every event exactly once.

let dir: string;
let config: string;
let whole: { params: number[]; events: Record<string, unknown>[] };

/**
 * 20 shuffled mini-batches an epoch with momentum and a validation split: 80,000 steps in all, long
 * enough (about 2.5 s on an idle machine) that a kill within 500 ms of the first epoch lands.
 */
const CONFIG = [
  'seed: 3',
  'model: linear',
  `data: { file: ${join(FIXTURES, 'linreg-100.csv')}, features: [0], targets: 1, validationSplit: 0.2 }`,
  'optimizer: { name: sgd, learningRate: 0.00001, momentum: 0.9 }',
  'batchSize: 4',
  'epochs: 4000',
  '',
].join('\n');

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
}

async function readEvents(path: string): Promise<Record<string, unknown>[]> {
  return (await readFile(path, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** What two runs of the same config share: everything but wall time and the random run id. */
const comparable = (events: Record<string, unknown>[]) =>
  events.map(({ time: _t, runId: _r, ...rest }) => rest);

const bits = (values: number[]) => Array.from(new Uint32Array(Float64Array.from(values).buffer));

/** A seeded sequence, so that a failing trial can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Starts a training run and SIGKILLs it after its first epoch line plus `delayMs`; true when it was killed. */
async function trainAndKill(args: string[], delayMs: number, waitFor?: string): Promise<boolean> {
  const cli = startCli(args, { cwd: dir });
  while (
    (!/epoch \d+\/4000/.test(cli.output()) || (waitFor !== undefined && !existsSync(waitFor))) &&
    cli.child.exitCode === null
  )
    await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, delayMs));
  cli.child.kill('SIGKILL');
  await cli.done;
  return cli.child.signalCode === 'SIGKILL';
}

beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 'downhill-sigkill-'));
  config = join(dir, 'long.yaml');
  await writeFile(config, CONFIG);
  const out = join(dir, 'whole');
  const result = await runCli(['train', config, '--out', out], { cwd: dir });
  expect(result.code, result.stderr).toBe(0);
  whole = {
    params: (await readJson(join(out, 'params.json'))).params as number[],
    events: await readEvents(join(out, 'events.jsonl')),
  };
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('downhill train survives SIGKILL', () => {
  it('10 trials: killed at a random step (some resumes killed again, some with a corrupt latest checkpoint), resumed to bit-identical parameters and an event log without duplicates', async () => {
    const next = random(20261202);
    const killedAt: number[] = [];
    for (let trial = 0; trial < 10; trial++) {
      const out = join(dir, `trial-${trial}`);
      const every = 1 + Math.floor(next() * 40);
      const killed = await trainAndKill(
        ['train', config, '--out', out, '--checkpoint-every', String(every)],
        next() * 500,
        // A trial that corrupts the latest checkpoint needs a previous one to fall back to.
        trial % 3 === 2 ? join(out, 'checkpoint.prev.json') : undefined,
      );
      expect(killed, `trial ${trial} finished before the kill`).toBe(true);
      const first = await readJson(join(out, 'checkpoint.json')).catch(() => undefined);
      killedAt.push(((first?.state as { step?: number } | undefined)?.step ?? -1) as number);
      let finished = false;
      if (trial % 3 === 1) {
        // The resume is itself killed, then resumed again (unless it was quicker than the kill).
        finished = !(await trainAndKill(['train', '--resume', out], next() * 200));
      } else if (trial % 3 === 2) {
        // The latest checkpoint is torn: the previous one is used, with a warning.
        await writeFile(join(out, 'checkpoint.json'), '{"format":"downhill.checkpoint","state":{"for');
      }
      const resumed = await runCli(['train', '--resume', out], { cwd: dir });
      if (finished)
        expect(resumed.stderr, `trial ${trial}: ${resumed.stdout}`).toContain('nothing to resume');
      else expect(resumed.code, `trial ${trial}: ${resumed.stderr}`).toBe(0);
      if (finished) {
        // Nothing more to check about the second resume.
      } else if (trial % 3 === 2) {
        expect(resumed.stderr).toMatch(
          /^warning: .*checkpoint\.json is not valid JSON .*; resuming from the previous checkpoint .*checkpoint\.prev\.json \(step \d+\)\n$/,
        );
      } else {
        // A kill between the two renames of a checkpoint leaves only the previous one, which is used.
        expect(resumed.stderr).toMatch(/^(|warning: [^\n]*resuming from the previous checkpoint[^\n]*\n)$/);
      }
      const params = (
        await readJson(join(out, 'params.json')).catch((err: Error) => {
          throw new Error(
            `trial ${trial} (finished ${finished}): ${err.message}\n${resumed.stdout}\n${resumed.stderr}`,
          );
        })
      ).params as number[];
      expect(bits(params), `trial ${trial}`).toEqual(bits(whole.params));
      const events = await readEvents(join(out, 'events.jsonl'));
      // One run: the same run id throughout, seq 0..n-1 once each, every step once, and the very
      // events of the uninterrupted run.
      expect(new Set(events.map((e) => e.runId)).size).toBe(1);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
      expect(comparable(events)).toEqual(comparable(whole.events));
    }
    // The kills landed at different steps, inside the run.
    expect(new Set(killedAt).size).toBeGreaterThan(5);
    expect(Math.max(...killedAt)).toBeLessThan(80000);
  }, 240_000);

  it('--best writes best.json at the epoch with the best monitored value; --checkpoint-epochs sets the cadence', async () => {
    const out = join(dir, 'best');
    const result = await runCli(
      [
        'train',
        join(FIXTURES, 'linreg.yaml'),
        '--out',
        out,
        '--checkpoint-epochs',
        '10',
        '--best',
        'validationLoss',
      ],
      { cwd: dir },
    );
    expect(result.code, result.stderr).toBe(0);
    const best = await readJson(join(out, 'best.json'));
    const epochs = (await readEvents(join(out, 'events.jsonl'))).filter((e) => e.type === 'epoch');
    const losses = epochs.map((e) => e.validationLoss as number);
    const at = losses.indexOf(Math.min(...losses));
    expect(best).toMatchObject({ format: 'downhill.checkpoint', trigger: 'best', value: losses[at] });
    // The state just after that epoch: resuming from it would continue with the next one.
    expect((best.state as { epoch: number }).epoch).toBe((epochs[at]!.epoch as number) + 1);
    expect(await readJson(join(out, 'checkpoint.json'))).toMatchObject({
      trigger: 'end',
      reason: 'completed',
    });
  });

  it('a full disk under events.jsonl is one line naming the file, and no checkpoint claims the lost events', async () => {
    const out = join(dir, 'full');
    await mkdir(out);
    await symlink('/dev/full', join(out, 'events.jsonl'));
    const result = await runCli(['train', config, '--out', out, '--checkpoint-every', '5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `downhill: cannot write ${join(out, 'events.jsonl')}: no space left on device (ENOSPC)\n`,
    );
    // The first checkpoint comes before any event could be written; none comes after the failure.
    const saved = await readJson(join(out, 'checkpoint.json')).catch(() => undefined);
    expect((saved?.state as { seq?: number } | undefined)?.seq ?? 0).toBeLessThanOrEqual(1);
    expect(existsSync(join(out, 'params.json'))).toBe(false);
  });

  it('a failing resume leaves the good checkpoint, and fixing the cause makes it resumable', async () => {
    const out = join(dir, 'failing');
    const first = await runCli(['train', config, '--out', out, '--max-steps', '500']);
    expect(first.code).toBe(0);
    const saved = await readFile(join(out, 'checkpoint.json'), 'utf8');
    const savedConfig = await readFile(join(out, 'config.json'), 'utf8');
    // A data file that no longer parses: the resume fails before training and writes nothing.
    const broken = CONFIG.replace(join(FIXTURES, 'linreg-100.csv'), join(dir, 'broken.csv'));
    await writeFile(join(dir, 'broken.csv'), 'x,y\n1,2\n3,oops\n');
    await writeFile(join(dir, 'broken.yaml'), broken);
    const failed = await runCli(['train', join(dir, 'broken.yaml'), '--resume', out]);
    expect(failed.code).toBe(2);
    expect(failed.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(await readFile(join(out, 'checkpoint.json'), 'utf8')).toBe(saved);
    expect(await readFile(join(out, 'config.json'), 'utf8')).toBe(savedConfig);
    const resumed = await runCli(['train', '--resume', out]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(bits((await readJson(join(out, 'params.json'))).params as number[])).toEqual(bits(whole.params));
  }, 60_000);
});
