import { entrySize, type LinkEntry, type Spool } from './run-link.js';

/** Options of `MemorySpool`. */
export interface MemorySpoolOptions {
  /** Most bytes of event JSON kept unacknowledged; past it the oldest step events go. Default 256 MiB. */
  readonly maxBytes?: number;
}

/** A `Spool` in memory: survives a server's restart, not the trainer's own death. */
export class MemorySpool implements Spool {
  private entries: LinkEntry[] = [];
  private head = 0;
  private bytes = 0;
  private readonly maxBytes: number;
  lastSeq = -1;
  dropped = 0;
  readonly location = undefined;

  constructor(options: MemorySpoolOptions = {}) {
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  }

  get pending(): number {
    return this.entries.length - this.head;
  }

  append(entries: readonly LinkEntry[]): void {
    for (const entry of entries) {
      if (entry.seq <= this.lastSeq) continue;
      this.entries.push(entry);
      this.bytes += entrySize(entry);
      this.lastSeq = entry.seq;
    }
    if (this.bytes > this.maxBytes) this.makeRoom();
  }

  read(fromSeq: number, maxEntries: number, maxBytes: number): LinkEntry[] {
    const out: LinkEntry[] = [];
    let bytes = 0;
    for (let i = this.firstAtOrAfter(fromSeq); i < this.entries.length && out.length < maxEntries; i++) {
      const entry = this.entries[i]!;
      if (out.length > 0 && bytes + entrySize(entry) > maxBytes) break;
      out.push(entry);
      bytes += entrySize(entry);
    }
    return out;
  }

  acknowledge(seq: number): void {
    while (this.head < this.entries.length && this.entries[this.head]!.seq <= seq) {
      this.bytes -= entrySize(this.entries[this.head]!);
      this.head++;
    }
    // Compact once the acknowledged prefix is the larger part: amortized O(1) per event.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  close(): void {
    this.entries = [];
    this.head = 0;
    this.bytes = 0;
  }

  /** Index of the first kept entry with `seq >= seq` (binary search: seqs increase). */
  private firstAtOrAfter(seq: number): number {
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private makeRoom(): void {
    const kept: LinkEntry[] = [];
    for (let i = this.head; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (this.bytes > this.maxBytes && isStep(entry)) {
        this.bytes -= entrySize(entry);
        this.dropped++;
      } else kept.push(entry);
    }
    this.entries = kept;
    this.head = 0;
  }
}

/** Whether the entry is a step event (the only kind a full spool drops). */
export function isStep(entry: LinkEntry): boolean {
  return entry.event ? entry.event.type === 'step' : entry.text!.startsWith('{"type":"step"');
}
