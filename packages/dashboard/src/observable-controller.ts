import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isObservable, type Observable, type Subscription } from 'rxjs';

/** What a component accepts as input: a live stream, or plain values already at hand. */
export type StreamSource<T> = Observable<T> | Iterable<T>;

export interface ObservableControllerOptions<T> {
  /** Receives, in order, every value that arrived since the previous flush. */
  readonly next: (values: readonly T[]) => void;
  readonly error?: (error: unknown) => void;
  readonly complete?: () => void;
  /**
   * Schedules a flush and returns its cancel function. Default: the next animation frame, so a
   * thousand events a second cost one render per frame.
   */
  readonly schedule?: (flush: () => void) => () => void;
}

/** `requestAnimationFrame` in a browser, a 16 ms timer elsewhere. */
export function nextAnimationFrame(flush: () => void): () => void {
  if (typeof requestAnimationFrame === 'function') {
    const handle = requestAnimationFrame(() => flush());
    return () => cancelAnimationFrame(handle);
  }
  const handle = setTimeout(flush, 16);
  return () => clearTimeout(handle);
}

/**
 * The one way streams enter Downhill's components: subscribes to `source` when the host connects,
 * unsubscribes when it disconnects (or when `source` is replaced), buffers the values and hands
 * them over in one batch per animation frame, then asks the host to update. A plain iterable is
 * handed over at once, so every component also works on an array of events.
 */
export class ObservableController<T> implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: ObservableControllerOptions<T>;
  #source: StreamSource<T> | undefined;
  #subscription: Subscription | undefined;
  #buffer: T[] = [];
  #cancelFlush: (() => void) | undefined;
  #connected = false;

  constructor(host: ReactiveControllerHost, options: ObservableControllerOptions<T>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  get source(): StreamSource<T> | undefined {
    return this.#source;
  }

  set source(source: StreamSource<T> | undefined) {
    if (source === this.#source) return;
    this.#stop();
    this.#source = source;
    if (this.#connected) this.#start();
  }

  /** True while subscribed to an Observable source. */
  get subscribed(): boolean {
    return this.#subscription !== undefined && !this.#subscription.closed;
  }

  hostConnected(): void {
    this.#connected = true;
    this.#start();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#stop();
  }

  /** Hands over the buffered values now instead of at the next frame. */
  flush(): void {
    this.#cancelFlush?.();
    this.#cancelFlush = undefined;
    if (this.#buffer.length === 0) return;
    const values = this.#buffer;
    this.#buffer = [];
    this.#options.next(values);
    this.#host.requestUpdate();
  }

  #start(): void {
    const source = this.#source;
    if (source === undefined) return;
    if (!isObservable(source)) {
      this.#options.next(Array.isArray(source) ? source : [...source]);
      this.#host.requestUpdate();
      return;
    }
    this.#subscription = (source as Observable<T>).subscribe({
      next: (value) => {
        this.#buffer.push(value);
        this.#cancelFlush ??= (this.#options.schedule ?? nextAnimationFrame)(() => {
          this.#cancelFlush = undefined;
          this.flush();
        });
      },
      error: (error: unknown) => {
        this.flush();
        this.#options.error?.(error);
        this.#host.requestUpdate();
      },
      complete: () => {
        this.flush();
        this.#options.complete?.();
        this.#host.requestUpdate();
      },
    });
  }

  #stop(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#cancelFlush?.();
    this.#cancelFlush = undefined;
    this.#buffer = [];
  }
}
