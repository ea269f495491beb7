/**
 * Commands that drive a live run. They take effect at the next step boundary.
 * `source` names the sender (`user`, `dashboard`, `reduceOnPlateau` ...) for the record.
 */
export type RunCommand =
  | {
      readonly type: 'stop';
      readonly reason?: 'stopped' | 'converged' | 'early-stopped';
      /** Parameters to end with instead of the current ones (early stopping restores its best). */
      readonly params?: ArrayLike<number>;
      readonly bestLoss?: number;
      readonly source?: string;
    }
  | { readonly type: 'pause'; readonly source?: string }
  | { readonly type: 'resume'; readonly source?: string }
  | { readonly type: 'set'; readonly name: string; readonly value: number; readonly source?: string };
