// A trainer in its own process for the fault-injection tests:
// `publishing-trainer.ts URL RUN_ID STEPS SPOOL OWN`. Publishes a tiny run over the run link with a
// file spool, writes every event it emits to OWN (JSON Lines), and exits 0 once the server has
// acknowledged them all (1 if publishing failed).
import { appendFileSync } from 'node:fs';
import { publishRun } from '@downhill/client';
import { FileSpool } from '@downhill/client/node';
import { tinyRun } from './tiny-training.js';

const [url, runId, stepsText, spoolPath, ownPath] = process.argv.slice(2);
if (!url || !runId || !stepsText || !spoolPath || !ownPath)
  throw new Error('usage: URL RUN_ID STEPS SPOOL OWN');
publishRun((control) => tinyRun({ steps: Number(stepsText), workMs: 2, runId }, control), {
  url,
  token: 'test-token-0123456789',
  spool: new FileSpool(spoolPath),
  initialDelayMs: 50,
  maxDelayMs: 250,
  finishTimeoutMs: 30_000,
  warn: () => {},
}).subscribe({
  next: (event) => appendFileSync(ownPath, `${JSON.stringify(event)}\n`),
  error: (err: Error) => {
    process.stderr.write(`trainer: ${err.message}\n`);
    process.exit(1);
  },
  complete: () => process.exit(0),
});
