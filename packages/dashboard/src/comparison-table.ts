import { css, html, LitElement, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { isObservable, type Observable } from 'rxjs';
import { type ComparisonColumn, comparisonColumns, sortRuns } from './comparison.js';
import { ObservableController } from './observable-controller.js';
import { formatNumber } from './run-chart-element.js';
import type { RunSummary } from './run-summary.js';
import { themeStyles } from './theme.js';

/**
 * `<downhill-comparison-table>`: the selected runs side by side (one row each) with their
 * hyperparameters and final, best and validation loss. Click a column header to sort; columns
 * where the runs differ are highlighted and the best value of each metric is marked.
 */
@customElement('downhill-comparison-table')
export class DownhillComparisonTable extends LitElement {
  static override styles = [
    themeStyles,
    css`
      table {
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        padding: 3px 8px;
        border-bottom: 1px solid var(--_border);
        text-align: left;
        white-space: nowrap;
      }
      th button {
        background: none;
        border: none;
        padding: 0;
        font-weight: 600;
      }
      .differs {
        background: color-mix(in srgb, var(--_warn) 14%, transparent);
      }
      .best {
        font-weight: 700;
        color: var(--_ok);
      }
      .empty {
        color: var(--_muted);
      }
      .wrap {
        overflow-x: auto;
        /* Contains the absolutely positioned .sr-only cells, which would otherwise widen the page. */
        position: relative;
      }
    `,
  ];

  @property({ attribute: false }) accessor runs: readonly RunSummary[] | Observable<readonly RunSummary[]> =
    [];
  @state() accessor sortKey: string | undefined;
  @state() accessor sortDirection: 'ascending' | 'descending' = 'ascending';
  @state() private accessor list: readonly RunSummary[] = [];

  readonly #stream = new ObservableController<readonly RunSummary[]>(this, {
    next: (lists) => {
      this.list = lists[lists.length - 1]!;
    },
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('runs')) return;
    if (isObservable(this.runs)) this.#stream.source = this.runs;
    else {
      this.#stream.source = undefined;
      this.list = this.runs;
    }
  }

  /** Sorts by a column key (as a header click does); a second call on the same key reverses. */
  sortBy(key: string): void {
    if (this.sortKey === key)
      this.sortDirection = this.sortDirection === 'ascending' ? 'descending' : 'ascending';
    else {
      this.sortKey = key;
      this.sortDirection = 'ascending';
    }
  }

  protected override render(): TemplateResult {
    if (this.list.length === 0) return html`<p class="empty">Select runs to compare.</p>`;
    const columns = comparisonColumns(this.list);
    const sortColumn = columns.find((c) => c.key === this.sortKey);
    const rows = sortColumn ? sortRuns(this.list, sortColumn, this.sortDirection) : this.list;
    return html`<div class="wrap">
      <table aria-label="run comparison">
        <thead>
          <tr>
            <th scope="col">Run</th>
            ${columns.map(
              (c) => html`<th
                scope="col"
                class=${c.differs ? 'differs' : ''}
                aria-sort=${c.key === this.sortKey ? this.sortDirection : 'none'}
              >
                <button type="button" @click=${() => this.sortBy(c.key)}>
                  ${c.label}${c.key === this.sortKey ? (this.sortDirection === 'ascending' ? ' ▲' : ' ▼') : ''}
                </button>
              </th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (run) => html`<tr data-run-id=${run.runId}>
              <th scope="row">${run.name}</th>
              ${columns.map((c) => cell(c, run))}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

function cell(column: ComparisonColumn, run: RunSummary): TemplateResult {
  const value = column.value(run);
  const best = column.kind === 'metric' && value === column.best;
  const classes = [column.differs ? 'differs' : '', best ? 'best' : ''].join(' ').trim();
  const text = value === undefined ? '' : typeof value === 'number' ? formatNumber(value) : value;
  return html`<td class=${classes} data-key=${column.key}>${text}${best ? html`<span class="sr-only"> (best)</span>` : ''}</td>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'downhill-comparison-table': DownhillComparisonTable;
  }
}
