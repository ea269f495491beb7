import { firstValueFrom, type Observable } from 'rxjs';
import type { ProgressOutput } from '../progress-bar.js';
import { startDemoServer } from '../start-demo-server.js';

export interface ServeCommandOptions {
  readonly output: ProgressOutput;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly dashboard: string | undefined;
  readonly allowedHosts?: readonly string[];
  /** A Postgres connection string: runs are stored there instead of SQLite under `dataDir`. */
  readonly postgres?: string;
  /** A Redis server: runs published through Redis Streams are taken from it too. */
  readonly redis?: string;
  readonly interrupt: Observable<unknown>;
}

/** `downhill serve`: the dashboard and the runs of an existing store, until interrupted. */
export async function serveCommand(options: ServeCommandOptions): Promise<void> {
  const server = await startDemoServer(options);
  const runs = await server.runs();
  options.output.write(`  ${runs.length} run${runs.length === 1 ? '' : 's'} in the store\n`);
  await firstValueFrom(options.interrupt);
  options.output.write('stopping the server\n');
  await server.close();
}
