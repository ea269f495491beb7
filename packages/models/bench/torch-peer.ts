import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch-peer.py', import.meta.url));

/** Whether /usr/bin/python3 imports torch (Debian's python3-torch); the reason when it does not. */
export function torchAvailable():
  | { available: true; version: string }
  | { available: false; reason: string } {
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.error) return { available: false, reason: `${PYTHON}: ${probe.error.message}` };
  if (probe.status !== 0)
    return { available: false, reason: `${PYTHON} has no torch (${probe.stderr.trim().split('\n').pop()})` };
  return { available: true, version: probe.stdout.trim() };
}

/**
 * Samples per second of PyTorch (1 thread) on `workload`, timed for about `seconds` in a child
 * process (see torch-peer.py). The benchmarks call it between their own rounds, so that both
 * sides meet the same load on this shared machine.
 */
export function torchSamplesPerSecond(workload: 'logistic' | 'mlp', seconds: number): number {
  const run = spawnSync(PYTHON, [SCRIPT, workload, String(seconds)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`torch-peer.py ${workload} failed: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { samplesPerSecond: number }).samplesPerSecond;
}

export interface BenchRate {
  nsPerUnit: number;
  unitsPerSecond: number;
}

/**
 * Runs `measure` (one round of the JavaScript cases) `rounds` times with a PyTorch run of about
 * `seconds` after each, when torch is there, and returns each case's median rate plus
 * 'PyTorch 1 thread'.
 */
export async function interleavedWithTorch(
  workload: 'logistic' | 'mlp',
  measure: () => Promise<Record<string, BenchRate>>,
  options: { rounds: number; seconds: number; torch: boolean },
): Promise<Record<string, BenchRate>> {
  const rounds: Record<string, BenchRate>[] = [];
  const torchRates: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    rounds.push(await measure());
    if (options.torch) torchRates.push(torchSamplesPerSecond(workload, options.seconds));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
  const out: Record<string, BenchRate> = {};
  for (const name of Object.keys(rounds[0]!)) {
    const rate = median(rounds.map((round) => round[name]!.unitsPerSecond));
    out[name] = { unitsPerSecond: rate, nsPerUnit: 1e9 / rate };
  }
  if (torchRates.length > 0) {
    const rate = median(torchRates);
    out['PyTorch 1 thread'] = { unitsPerSecond: rate, nsPerUnit: 1e9 / rate };
  }
  return out;
}
