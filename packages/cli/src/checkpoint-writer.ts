import { join } from 'node:path';
import type { CheckpointInfo, RunState } from '@downhill/core';
import { checkpointText, RUN_FILES } from './run-directory.js';
import { writeFileAtomicSync } from './write-file-atomic.js';

/**
 * Writes a run's checkpoints into its directory. `save` is called by the run loop between two
 * steps. Each write is atomic (temp file, fsync, rename; the checkpoint it replaces becomes
 * `checkpoint.prev.json`, the fallback when the latest cannot be read) and synchronous, which
 * costs a few milliseconds; so that a run checkpointing every few steps does not spend its time
 * in fsync, writes are at least `minIntervalMs` apart: a save that comes sooner waits (on a
 * timer, between two time slices of the run) and is replaced by a newer one if that comes first.
 * A failing run is never saved over a good one (the run loop does not hand over failed states).
 */
export class CheckpointWriter {
  private readonly pending = new Map<string, string>();
  private readonly minIntervalMs: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastWrite = Number.NEGATIVE_INFINITY;
  private failure: Error | undefined;
  private written = 0;

  /**
   * `beforeSave` runs before each checkpoint is taken (the event log flushes, so that it covers
   * every event the checkpoint does). `minIntervalMs` defaults to 100.
   */
  constructor(
    private readonly dir: string,
    private readonly options: { beforeSave?: () => void; minIntervalMs?: number } = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 100;
  }

  /** Checkpoint files written so far. */
  get count(): number {
    return this.written;
  }

  /** The first write that failed, if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  readonly save = (state: RunState, info: CheckpointInfo): void => {
    if (this.failure) throw this.failure;
    this.options.beforeSave?.();
    const file = info.trigger === 'best' ? RUN_FILES.best : RUN_FILES.checkpoint;
    this.pending.set(file, checkpointText(state, info));
    const wait = this.lastWrite + this.minIntervalMs - performance.now();
    if (wait <= 0 || info.trigger === 'end') this.write();
    else this.timer ??= setTimeout(() => this.write(), wait);
    if (this.failure) throw this.failure;
  };

  /** Writes what is pending now; throws the first failure. */
  flush(): void {
    this.write();
    if (this.failure) throw this.failure;
  }

  private write(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.failure) return;
    for (const [file, text] of this.pending) {
      this.pending.delete(file);
      const path = join(this.dir, file);
      try {
        writeFileAtomicSync(path, text, {
          ...(file === RUN_FILES.checkpoint
            ? { keepPrevious: join(this.dir, RUN_FILES.previousCheckpoint) }
            : {}),
        });
        this.written++;
      } catch (err) {
        this.failure = err instanceof Error ? err : new Error(String(err));
        return;
      }
    }
    this.lastWrite = performance.now();
  }
}
