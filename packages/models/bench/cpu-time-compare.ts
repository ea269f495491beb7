// On a machine shared with other busy processes, wall-clock rates swing with their load; the CPU
// time this process spends is steadier (caches are still shared). This times cases by CPU time,
// interleaved round by round, and returns each case's median rate.

export interface CpuCase {
  /** Does the work once (may be async: a train() run in its default sliced mode). */
  run(): unknown;
  /** Units processed by one call of `run`. */
  ops: number;
}

export async function compareCpuTime(
  cases: Record<string, CpuCase>,
  { rounds = 5, warmup = 1 }: { rounds?: number; warmup?: number } = {},
): Promise<Record<string, { nsPerUnit: number; unitsPerSecond: number }>> {
  const names = Object.keys(cases);
  for (const name of names) for (let i = 0; i < warmup; i++) await cases[name]!.run();
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const name of names) {
      const { run, ops } = cases[name]!;
      const start = process.cpuUsage();
      await run();
      const used = process.cpuUsage(start);
      samples[name]!.push(((used.user + used.system) * 1e3) / ops);
    }
  }
  const out: Record<string, { nsPerUnit: number; unitsPerSecond: number }> = {};
  for (const name of names) {
    const sorted = samples[name]!.sort((a, b) => a - b);
    const ns = sorted[sorted.length >> 1]!;
    out[name] = { nsPerUnit: ns, unitsPerSecond: 1e9 / ns };
  }
  return out;
}
