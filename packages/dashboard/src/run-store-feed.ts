import { isObservable, type Subscription } from 'rxjs';
import { nextAnimationFrame, type StreamSource } from './observable-controller.js';
import { RunStore, type RunStoreInput } from './run-store.js';

/**
 * One `RunStore` for every chart of a page: the runs' events are subscribed to once and stored
 * once (in columns), and the charts given this feed (`chart.feed = feed`) draw from it. Without
 * it, each chart subscribes to the events and keeps its own copy. Events arriving between two
 * animation frames are stored together and the charts are told once per frame.
 */
export class RunStoreFeed {
  readonly store = new RunStore();
  readonly #listeners = new Set<() => void>();
  readonly #schedule: (flush: () => void) => () => void;
  #subscription: Subscription | undefined;
  #pending: RunStoreInput[] = [];
  #cancel: (() => void) | undefined;
  #source: StreamSource<RunStoreInput> | undefined;

  constructor(options: { readonly schedule?: (flush: () => void) => () => void } = {}) {
    this.#schedule = options.schedule ?? nextAnimationFrame;
  }

  get source(): StreamSource<RunStoreInput> | undefined {
    return this.#source;
  }

  /**
   * The runs' events: an Observable (subscribed here, once) or an array. Replacing it starts over.
   * Its items may also be whole batches whose step events are in the wire's columns
   * (`RunEventBatch`): those go into the store without an object per step.
   */
  set source(source: StreamSource<RunStoreInput> | undefined) {
    this.#source = source;
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#cancel?.();
    this.#cancel = undefined;
    this.#pending = [];
    this.store.clear();
    if (source === undefined) {
      this.#notify();
      return;
    }
    if (isObservable(source)) {
      this.#subscription = source.subscribe({
        next: (event) => {
          this.#pending.push(event);
          this.#cancel ??= this.#schedule(() => this.#flush());
        },
      });
    } else {
      this.store.addItems([...source]);
    }
    this.#notify();
  }

  /** Calls `listener` after each batch of events is stored; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops listening to the source (the stored runs stay). */
  close(): void {
    this.#subscription?.unsubscribe();
    this.#subscription = undefined;
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #flush(): void {
    this.#cancel = undefined;
    const batch = this.#pending;
    this.#pending = [];
    this.store.addItems(batch);
    this.#notify();
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
