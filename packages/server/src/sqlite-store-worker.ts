// The entry of the SQLite store's own thread (see `SqliteRunStore`): the tables, answering calls
// in order, so that commits and long reads never run on the loop that serves sockets.
import { parentPort, workerData } from 'node:worker_threads';
import { type SqliteOptions, SqliteTables } from './sqlite-tables.js';
import {
  type FromStoreThread,
  type PackedWrite,
  type ToStoreThread,
  unpackWrites,
} from './store-thread-messages.js';

const port = parentPort!;
const { file, options } = workerData as { file: string; options: SqliteOptions };
const post = (message: FromStoreThread, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);

const failure = (err: unknown): { message: string; code?: string } => {
  const error = err as NodeJS.ErrnoException;
  return {
    message: error?.message ?? String(err),
    ...(typeof error?.code === 'string' ? { code: error.code } : {}),
  };
};

let tables: SqliteTables;
try {
  tables = new SqliteTables(file, options);
  post({ type: 'ready' });
} catch (err) {
  post({ type: 'failed', error: failure(err) });
  port.close();
}

port.on('message', (message: ToStoreThread) => {
  try {
    const args =
      message.method === 'commit' ? [unpackWrites(message.args[0] as PackedWrite[])] : message.args;
    const value = (tables[message.method] as (...args: unknown[]) => unknown)(...args);
    const transfer =
      message.method === 'readStepIndex'
        ? [(value as { seqs: Float64Array }).seqs.buffer, (value as { losses: Float64Array }).losses.buffer]
        : [];
    post({ type: 'result', id: message.id, value }, transfer as ArrayBuffer[]);
    if (message.method === 'close') port.close();
  } catch (err) {
    post({ type: 'result', id: message.id, error: failure(err) });
  }
});
