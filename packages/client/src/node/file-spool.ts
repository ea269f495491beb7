import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { entryText, isStep, type LinkEntry, type Spool } from '@downhill/protocol';

/** Options of `FileSpool`. */
export interface FileSpoolOptions {
  /** Largest file, in bytes; past it step events are dropped (and counted), others still kept. Default 1 GiB. */
  readonly maxBytes?: number;
  /** Unacknowledged events also kept in memory, so that sending rarely reads the file. Default 16 MiB. */
  readonly cacheBytes?: number;
}

const SEQ_PATTERN = /"seq":(\d+)/;
/** A spool file whose every event is acknowledged is emptied once it is this large. */
const TRUNCATE_BYTES = 16 * 1024 * 1024;

/**
 * A `Spool` in an append-only JSON Lines file (one event per line, as the wire carries it): what
 * the server has not acknowledged survives this process's death, and `downhill runs sync FILE`
 * uploads it later (the server drops what it already has). A spool opened on an existing file
 * takes over its events: a trainer resumed from a checkpoint sends what its killed predecessor
 * could not, and the events it replays are not written twice. The file is emptied whenever
 * everything in it is acknowledged and it has grown past 16 MiB, and deleted when the run ends
 * with every event acknowledged.
 */
export class FileSpool implements Spool {
  private readonly fd: number;
  private readonly seqs: number[] = [];
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private closed = false;
  /** Index (in `seqs`) of the first unacknowledged event. */
  private head = 0;
  /** Cached texts of the newest events: `cache[i]` belongs to index `cacheStart + i`. */
  private cache: string[] = [];
  private cacheStart = 0;
  private cacheBytes = 0;
  private fileBytes: number;
  private readonly maxBytes: number;
  private readonly maxCache: number;
  lastSeq = -1;
  dropped = 0;

  constructor(
    readonly location: string,
    options: FileSpoolOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 1024 ** 3;
    this.maxCache = options.cacheBytes ?? 16 * 1024 * 1024;
    mkdirSync(dirname(location), { recursive: true });
    if (existsSync(location) && statSync(location).isDirectory())
      throw new Error(`spool ${location} is a directory, not a file`);
    this.fd = openSync(location, 'a+');
    this.fileBytes = statSync(location).size;
    this.index();
    this.cacheStart = this.seqs.length;
  }

  get pending(): number {
    return this.seqs.length - this.head;
  }

  append(entries: readonly LinkEntry[]): void {
    let text = '';
    let textBytes = 0;
    for (const entry of entries) {
      if (entry.seq <= this.lastSeq) continue;
      const entryJson = entryText(entry);
      const length = Buffer.byteLength(entryJson);
      if (this.fileBytes + textBytes + length + 1 > this.maxBytes && isStep(entry)) {
        this.dropped++;
        continue;
      }
      this.seqs.push(entry.seq);
      this.offsets.push(this.fileBytes + textBytes);
      this.lengths.push(length);
      this.cache.push(entryJson);
      this.cacheBytes += entryJson.length;
      text += `${entryJson}\n`;
      textBytes += length + 1;
      this.lastSeq = entry.seq;
    }
    if (text === '') return;
    const bytes = Buffer.from(text);
    writeSync(this.fd, bytes);
    this.fileBytes += bytes.length;
    while (this.cacheBytes > this.maxCache && this.cache.length > 1) {
      this.cacheBytes -= this.cache.shift()!.length;
      this.cacheStart++;
    }
  }

  read(fromSeq: number, maxEntries: number, maxBytes: number): LinkEntry[] {
    const out: LinkEntry[] = [];
    let bytes = 0;
    for (let i = this.firstAtOrAfter(fromSeq); i < this.seqs.length && out.length < maxEntries; i++) {
      const length = this.lengths[i]!;
      if (out.length > 0 && bytes + length > maxBytes) break;
      out.push({ seq: this.seqs[i]!, text: this.textAt(i) });
      bytes += length;
    }
    return out;
  }

  acknowledge(seq: number): void {
    while (this.head < this.seqs.length && this.seqs[this.head]! <= seq) this.head++;
    if (this.head === this.seqs.length && this.fileBytes > TRUNCATE_BYTES) {
      // Everything written is stored: start the file again rather than let it grow with the run.
      ftruncateSync(this.fd, 0);
      this.fileBytes = 0;
      this.seqs.length = 0;
      this.offsets.length = 0;
      this.lengths.length = 0;
      this.head = 0;
      this.cache = [];
      this.cacheStart = 0;
      this.cacheBytes = 0;
      return;
    }
    while (this.cacheStart < this.head && this.cache.length > 0) {
      this.cacheBytes -= this.cache.shift()!.length;
      this.cacheStart++;
    }
  }

  /** Closes the file (again: nothing), and deletes it when everything in it is `stored`. */
  close(stored: boolean): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    if (stored) unlinkSync(this.location);
  }

  private textAt(i: number): string {
    if (i >= this.cacheStart) return this.cache[i - this.cacheStart]!;
    const buffer = Buffer.alloc(this.lengths[i]!);
    readSync(this.fd, buffer, 0, buffer.length, this.offsets[i]!);
    return buffer.toString('utf8');
  }

  private firstAtOrAfter(seq: number): number {
    let lo = this.head;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Reads what an earlier process left: every complete line with a `seq` above the one before it. */
  private index(): void {
    const chunk = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let position = 0;
    for (;;) {
      const read = readSync(this.fd, chunk, 0, chunk.length, position);
      if (read === 0) break;
      const data = Buffer.concat([carry, chunk.subarray(0, read)]);
      const dataStart = position - carry.length;
      let lineStart = 0;
      for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, lineStart)) {
        const line = data.subarray(lineStart, newline).toString('utf8');
        const match = SEQ_PATTERN.exec(line);
        const seq = match ? Number(match[1]) : Number.NaN;
        if (seq > this.lastSeq) {
          this.seqs.push(seq);
          this.offsets.push(dataStart + lineStart);
          this.lengths.push(newline - lineStart);
          this.lastSeq = seq;
        }
        lineStart = newline + 1;
      }
      carry = Buffer.from(data.subarray(lineStart));
      position += read;
    }
    // A torn last line (the process died mid-write) is left out; the next write starts a new line.
    if (carry.length > 0) {
      writeSync(this.fd, '\n');
      this.fileBytes += 1;
    }
  }
}
