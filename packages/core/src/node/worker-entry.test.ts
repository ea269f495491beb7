import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { workerEntry } from './worker-entry.js';

const dir = mkdtempSync(join(tmpdir(), 'downhill-worker-entry-'));
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function answer(entry: ReturnType<typeof workerEntry>): Promise<unknown> {
  const worker = new Worker(entry.url, { ...entry.options, workerData: 20 });
  const [message] = await once(worker, 'message');
  await worker.terminate();
  return message;
}

describe('workerEntry', () => {
  it('starts a TypeScript entry beside a .ts caller through tsx, with its types stripped', async () => {
    writeFileSync(
      join(dir, 'double.ts'),
      "import { parentPort, workerData } from 'node:worker_threads';\nconst n: number = workerData;\nparentPort!.postMessage(n * 2);\n",
    );
    const entry = workerEntry(pathToFileURL(join(dir, 'caller.ts')).href, 'double');
    expect(entry.options).toMatchObject({ eval: true, execArgv: ['--conditions=development'] });
    expect(await answer(entry)).toBe(40);
  });

  it('starts the .js entry beside a built caller directly', async () => {
    writeFileSync(
      join(dir, 'triple.js'),
      "import { parentPort, workerData } from 'node:worker_threads';\nparentPort.postMessage(workerData * 3);\n",
    );
    const entry = workerEntry(pathToFileURL(join(dir, 'caller.js')).href, 'triple');
    expect(entry.url).toBeInstanceOf(URL);
    expect(entry.options).toEqual({});
    expect(await answer(entry)).toBe(60);
  });
});
