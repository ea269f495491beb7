import type { TrainEvent } from '@downhill/core';
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { isObservable, type Observable } from 'rxjs';
import { ObservableController, type StreamSource } from './observable-controller.js';
import { formatNumber } from './run-chart-element.js';
import { formatHyperparams, parseRunFilter } from './run-filter.js';
import { isLive } from './run-status.js';
import { RunStore } from './run-store.js';
import type { RunSummary } from './run-summary.js';
import { themeStyles } from './theme.js';

/** Detail of `selection-change`: the run ids selected for comparison, in list order. */
export interface SelectionChangeDetail {
  readonly selected: readonly string[];
}

/**
 * `<downhill-run-list>`: every run with its status, optimizer and key hyperparameters, step and
 * loss, and a live marker; a text or `/regex/` filter; checkboxes to select runs to compare
 * (`selection-change`), and a click (or Enter) on a run's name focuses it (`run-focus`).
 * Takes `runs` (summaries, or a stream of them, e.g. the server's run list) or `events`
 * (TrainEvents of any number of runs, summarised here).
 */
@customElement('downhill-run-list')
export class DownhillRunList extends LitElement {
  static override styles = [
    themeStyles,
    css`
      .wrap {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        text-align: left;
        padding: 3px 6px;
        border-bottom: 1px solid var(--_border);
        white-space: nowrap;
      }
      td.hp {
        white-space: normal;
        color: var(--_muted);
        font-size: 12px;
      }
      tr[aria-current='true'] {
        background: var(--_surface);
      }
      .num {
        text-align: right;
      }
      .status {
        display: inline-flex;
        gap: 5px;
        align-items: center;
      }
      .live {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: var(--_ok);
        animation: pulse 1.2s ease-in-out infinite;
      }
      .paused {
        background: var(--_warn);
        animation: none;
      }
      @keyframes pulse {
        50% {
          opacity: 0.3;
        }
      }
      [data-status='diverged'],
      [data-status='error'],
      [data-status='interrupted'] {
        color: var(--_danger);
      }
      [data-status='converged'],
      [data-status='completed'],
      [data-status='early-stopped'] {
        color: var(--_ok);
      }
      button.name {
        background: none;
        border: none;
        padding: 0;
        color: var(--_accent);
        text-align: left;
      }
      .error {
        color: var(--_danger);
      }
      input[type='search'] {
        min-width: 16em;
      }
      .empty {
        color: var(--_muted);
        padding: 8px 0;
      }
    `,
  ];

  /** Run summaries, or a stream of whole lists (the latest list wins). */
  @property({ attribute: false }) accessor runs:
    | readonly RunSummary[]
    | Observable<readonly RunSummary[]>
    | undefined;
  /** Alternatively, the runs' events (summarised here). */
  @property({ attribute: false }) accessor events: StreamSource<TrainEvent> | undefined;
  @property({ attribute: false }) accessor selected: readonly string[] = [];
  @property() accessor focused: string | undefined;
  @property() accessor filter = '';

  @state() private accessor list: readonly RunSummary[] = [];

  readonly #store = new RunStore();
  readonly #runStream = new ObservableController<readonly RunSummary[]>(this, {
    next: (lists) => {
      this.list = lists[lists.length - 1]!;
    },
  });
  readonly #eventStream = new ObservableController<TrainEvent>(this, {
    next: (events) => {
      this.#store.addAll(events);
      this.list = this.#store.summaries();
    },
  });

  /** The runs currently shown (after the filter). */
  get visibleRuns(): readonly RunSummary[] {
    return this.list.filter(parseRunFilter(this.filter).test);
  }

  /** Every run known (before the filter). */
  get allRuns(): readonly RunSummary[] {
    return this.list;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('runs')) {
      const runs = this.runs;
      if (runs === undefined || isObservable(runs)) this.#runStream.source = runs;
      else {
        this.#runStream.source = undefined;
        this.list = runs;
      }
    }
    if (changed.has('events')) {
      this.#store.clear();
      this.#eventStream.source = this.events;
    }
  }

  protected override render(): TemplateResult {
    const filter = parseRunFilter(this.filter);
    const shown = this.list.filter(filter.test);
    const selected = new Set(this.selected);
    return html`
      <div class="toolbar">
        <label
          >Filter
          <input
            type="search"
            aria-label="filter runs (text or /regex/)"
            placeholder="text or /regex/"
            .value=${this.filter}
            @input=${(e: Event) => {
              this.filter = (e.target as HTMLInputElement).value;
            }}
        /></label>
        <span>${shown.length} of ${this.list.length} runs</span>
        ${filter.error ? html`<span class="error" role="alert">${filter.error}</span>` : nothing}
      </div>
      ${
        this.list.length === 0
          ? html`<div class="empty">No runs yet.</div>`
          : html`<div class="wrap"><table aria-label="runs">
            <thead>
              <tr>
                <th scope="col">Compare</th>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Optimizer</th>
                <th scope="col">Hyperparameters</th>
                <th scope="col" class="num">Step</th>
                <th scope="col" class="num">Loss</th>
                <th scope="col" class="num">Best</th>
              </tr>
            </thead>
            <tbody>
              ${shown.map(
                (
                  run,
                ) => html`<tr data-run-id=${run.runId} aria-current=${run.runId === this.focused ? 'true' : 'false'}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label="compare ${run.name}"
                      .checked=${selected.has(run.runId)}
                      @change=${(e: Event) => this.#toggle(run.runId, (e.target as HTMLInputElement).checked)}
                    />
                  </td>
                  <td><button type="button" class="name" @click=${() => this.#focus(run.runId)}>${run.name}</button></td>
                  <td>
                    <span class="status" data-status=${run.status}
                      >${
                        isLive(run.status)
                          ? html`<span
                            class="live ${run.status === 'paused' ? 'paused' : ''}"
                            role="img"
                            aria-label=${run.status === 'paused' ? 'paused' : 'live'}
                          ></span>`
                          : nothing
                      }${run.status}</span
                    >
                  </td>
                  <td>${run.optimizer}</td>
                  <td class="hp">${formatHyperparams(run.hyperparams)}</td>
                  <td class="num">${run.step}</td>
                  <td class="num">${formatNumber(run.loss)}</td>
                  <td class="num">${formatNumber(run.bestLoss)}</td>
                </tr>`,
              )}
            </tbody>
          </table></div>`
      }
    `;
  }

  #toggle(runId: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(runId);
    else next.delete(runId);
    this.selected = this.list.map((r) => r.runId).filter((id) => next.has(id));
    this.dispatchEvent(
      new CustomEvent<SelectionChangeDetail>('selection-change', {
        detail: { selected: this.selected },
        bubbles: true,
        composed: true,
      }),
    );
  }

  #focus(runId: string): void {
    this.focused = runId;
    this.dispatchEvent(
      new CustomEvent<{ runId: string }>('run-focus', { detail: { runId }, bubbles: true, composed: true }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'downhill-run-list': DownhillRunList;
  }
}
