// Shared benchmark harness. This machine is shared and noisy, so a benchmark always measures its
// baseline or peer in the same run, interleaving rounds, and reports the ratio next to absolute
// figures; the median of the rounds is what is reported.
import os from 'node:os';

/** Prints which machine and runtime the figures come from. */
export function machineInfo() {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown cpu'} x${cpus.length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Times each case in interleaved rounds. `cases` maps a name to `{ run, ops }`: `run()` does the
 * work once and `ops` says how many units (parameters, samples, bytes) one call processes.
 * Returns per-case median nanoseconds per unit and units per second.
 */
export async function compare(cases, { rounds = 7, minTimeMs = 200, warmup = 2 } = {}) {
  const names = Object.keys(cases);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const calibrate = {};
  for (const name of names) {
    const { run } = cases[name];
    for (let i = 0; i < warmup; i++) await run();
    let reps = 1;
    for (;;) {
      const t = performance.now();
      for (let i = 0; i < reps; i++) await run();
      const dt = performance.now() - t;
      if (dt >= minTimeMs / 4 || reps > 1e7) {
        calibrate[name] = Math.max(1, Math.ceil((reps * minTimeMs) / Math.max(dt, 1e-3)));
        break;
      }
      reps *= 4;
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (const name of names) {
      const { run, ops } = cases[name];
      const reps = calibrate[name];
      const t = performance.now();
      for (let i = 0; i < reps; i++) await run();
      const dt = performance.now() - t;
      samples[name].push((dt * 1e6) / (reps * ops));
    }
  }
  const out = {};
  for (const name of names) {
    const ns = median(samples[name]);
    out[name] = { nsPerUnit: ns, unitsPerSecond: 1e9 / ns };
  }
  return out;
}

/** Prints a table of results with each row's ratio to `baseline` (time relative to it: 1.0 = as fast). */
export function report(title, results, { baseline, unit = 'unit' } = {}) {
  console.log(`\n## ${title}\n${machineInfo()}`);
  const base = baseline ? results[baseline]?.nsPerUnit : undefined;
  for (const [name, r] of Object.entries(results)) {
    const ratio = base ? `  x${(r.nsPerUnit / base).toFixed(2)} of ${baseline}` : '';
    console.log(
      `  ${name.padEnd(36)} ${r.nsPerUnit.toFixed(3).padStart(12)} ns/${unit}  ${formatRate(r.unitsPerSecond)} ${unit}/s${ratio}`,
    );
  }
}

function formatRate(x) {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)}G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(2)}k`;
  return x.toFixed(1);
}
