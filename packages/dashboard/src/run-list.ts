import type { TrainEvent } from '@downhill/core';
import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { isObservable, type Observable } from 'rxjs';
import { sortRuns } from './comparison.js';
import { formatDuration, formatStart } from './format-time.js';
import { groupFields, groupRuns } from './group-runs.js';
import { ObservableController, type StreamSource } from './observable-controller.js';
import { formatNumber } from './run-chart-element.js';
import { formatHyperparams, parseRunFilter } from './run-filter.js';
import { isLive } from './run-status.js';
import { RunStore } from './run-store.js';
import type { RunSummary } from './run-summary.js';
import { type ResolvedTheme, resolveTheme, themeStyles, watchColorScheme } from './theme.js';

/** Detail of `selection-change`: the run ids selected for comparison, in list order. */
export interface SelectionChangeDetail {
  readonly selected: readonly string[];
}

/** Detail of `list-change`: the list's view settings, after the user changed one. */
export interface RunListState {
  readonly filter: string;
  readonly sortKey: string;
  readonly sortDirection: 'ascending' | 'descending';
  readonly groupBy: string;
  readonly hiddenRuns: readonly string[];
  readonly showHidden: boolean;
}

/** Detail of `run-edit`: what the user asked to change about a run (the page does it). */
export type RunEditDetail =
  | { readonly action: 'rename'; readonly runId: string; readonly name: string }
  | { readonly action: 'tags'; readonly runId: string; readonly tags: readonly string[] }
  | { readonly action: 'delete'; readonly runId: string };

/** One sortable column of the run list. */
interface ListColumn {
  readonly key: string;
  readonly label: string;
  readonly numeric?: boolean;
  readonly value: (run: RunSummary) => number | string | undefined;
}

const columns: readonly ListColumn[] = [
  { key: 'name', label: 'Run', value: (r) => r.name },
  { key: 'status', label: 'Status', value: (r) => r.status },
  { key: 'startedAt', label: 'Started', numeric: true, value: (r) => r.startedAt },
  { key: 'duration', label: 'Duration', numeric: true, value: (r) => r.time },
  { key: 'step', label: 'Step', numeric: true, value: (r) => r.step },
  { key: 'loss', label: 'Loss', numeric: true, value: (r) => r.loss },
  { key: 'bestLoss', label: 'Best', numeric: true, value: (r) => r.bestLoss },
  { key: 'optimizer', label: 'Optimizer', value: (r) => r.optimizer },
  { key: 'hyperparams', label: 'Hyperparameters', value: (r) => formatHyperparams(r.hyperparams) },
  { key: 'tags', label: 'Tags', value: (r) => (r.tags ?? []).join(' ') || undefined },
];

/**
 * `<downhill-run-list>`: every run with its status, start time, duration, step, last and best
 * loss, optimizer, key hyperparameters and tags; sortable by any column; grouped by a config
 * field; a text or `/regex/` filter; checkboxes to select runs for the charts
 * (`selection-change`); Enter on a row (or a click on its name) focuses the run (`run-focus`),
 * whose rename / tags / hide / delete actions sit above the table. The first `pageSize` rows are
 * rendered, "Show more" adds more (`run-edit`; rename, tags and
 * delete only when `editable`, else `readonlyReason` says why). One Tab stop per run: arrow keys
 * move between rows. Runs on the charts (`shown`) get a swatch in their chart colour. View
 * changes fire `list-change`. Takes `runs` (summaries, or a stream of them, e.g. the server's run
 * list) or `events` (TrainEvents of any number of runs, summarised here).
 */
@customElement('downhill-run-list')
export class DownhillRunList extends LitElement {
  static override styles = [
    themeStyles,
    css`
      .wrap {
        overflow-x: auto;
        /* Contains the absolutely positioned .sr-only cells, which would otherwise widen the page. */
        position: relative;
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
      thead th {
        position: sticky;
        top: 0;
        background: var(--_bg);
        z-index: 1;
      }
      th button.sort {
        background: none;
        border: none;
        padding: 0;
        font-weight: 600;
      }
      td.hp {
        white-space: normal;
        color: var(--_muted);
        font-size: 12px;
        min-width: 12em;
      }
      tr[aria-current='true'] {
        background: var(--_surface);
      }
      tr.group th {
        background: var(--_surface);
        font-weight: 600;
      }
      tr.group .stats {
        font-weight: normal;
        color: var(--_muted);
        margin-left: 8px;
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
      .swatch {
        display: inline-block;
        width: 10px;
        height: 10px;
        border-radius: 2px;
        margin-right: 5px;
        vertical-align: -1px;
      }
      .swatch.none {
        background: transparent;
      }
      .tag {
        display: inline-block;
        font-size: 11px;
        padding: 0 5px;
        margin-right: 3px;
        border-radius: 8px;
        background: var(--_surface);
        border: 1px solid var(--_border);
      }
      .error {
        color: var(--_danger);
      }
      .note {
        color: var(--_muted);
        font-size: 12px;
      }
      input[type='search'] {
        min-width: 12em;
      }
      .empty {
        color: var(--_muted);
        padding: 8px 0;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 8px;
        align-items: center;
        margin-bottom: 6px;
      }
      .actions .focused {
        font-weight: 600;
        max-width: 16em;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .hidden-run td {
        opacity: 0.55;
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
  /** The runs on the charts, in chart order: they get a swatch of their line's colour. */
  @property({ attribute: false }) accessor shown: readonly string[] = [];
  @property() accessor focused: string | undefined;
  @property() accessor filter = '';
  /** The column sorted by (`''`: the order runs arrive in, newest first from a server). */
  @property({ attribute: 'sort-key' }) accessor sortKey = '';
  @property({ attribute: 'sort-direction' }) accessor sortDirection: 'ascending' | 'descending' = 'ascending';
  /** A field to group by (`config`, `optimizer`, `status`, `tag` or a hyperparameter; `''`: none). */
  @property({ attribute: 'group-by' }) accessor groupBy = '';
  /** Runs the user hid (left out of the list unless `showHidden`). */
  @property({ attribute: false }) accessor hiddenRuns: readonly string[] = [];
  @property({ type: Boolean, attribute: 'show-hidden' }) accessor showHidden = false;
  /** Rename, tags and delete are offered (the page holds the server's token). */
  @property({ type: Boolean }) accessor editable = false;
  /** Why rename, tags and delete are disabled, shown beside them when not `editable`. */
  @property({ attribute: 'readonly-reason' }) accessor readonlyReason = '';

  /** Rows rendered at first; "Show more" adds as many again (a 10,000-run store lists fast). */
  @property({ type: Number, attribute: 'page-size' }) accessor pageSize = 200;

  @state() private accessor list: readonly RunSummary[] = [];
  @state() private accessor limit = 0;
  @state() private accessor editing: 'rename' | 'tags' | 'delete' | undefined;

  readonly #store = new RunStore();
  #theme: ResolvedTheme | undefined;
  #unwatchScheme: (() => void) | undefined;
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

  /** The runs currently listed (after the filter and hiding), in display order. */
  get visibleRuns(): readonly RunSummary[] {
    return this.#ordered(this.#filtered()).flatMap((g) => g.runs);
  }

  /** Every run known (before the filter). */
  get allRuns(): readonly RunSummary[] {
    return this.list;
  }

  /** The view settings (what `list-change` carries). */
  get state(): RunListState {
    return {
      filter: this.filter,
      sortKey: this.sortKey,
      sortDirection: this.sortDirection,
      groupBy: this.groupBy,
      hiddenRuns: this.hiddenRuns,
      showHidden: this.showHidden,
    };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#unwatchScheme = watchColorScheme(() => {
      this.#theme = undefined;
      this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unwatchScheme?.();
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
    if (changed.has('focused')) this.editing = undefined;
  }

  #filtered(): RunSummary[] {
    const filter = parseRunFilter(this.filter);
    const hidden = new Set(this.hiddenRuns);
    return this.list.filter((run) => filter.test(run) && (this.showHidden || !hidden.has(run.runId)));
  }

  /** Sorted, then grouped (groups in order of their first run after sorting). */
  #ordered(runs: readonly RunSummary[]): { label?: string; runs: readonly RunSummary[] }[] {
    const column = columns.find((c) => c.key === this.sortKey);
    const sorted = column ? sortRuns(runs, column, this.sortDirection) : runs;
    if (!this.groupBy) return [{ runs: sorted }];
    const byId = new Map(sorted.map((r) => [r.runId, r]));
    return groupRuns(sorted, this.groupBy).map((g) => ({
      label: g.label,
      runs: g.runIds.map((id) => byId.get(id)!),
    }));
  }

  protected override render(): TemplateResult {
    this.#theme ??= resolveTheme(this);
    const filter = parseRunFilter(this.filter);
    const filtered = this.#filtered();
    const limit = Math.max(this.limit, this.pageSize);
    const groups = truncateGroups(this.#ordered(filtered), limit);
    const selected = new Set(this.selected);
    const hiddenCount = this.list.filter((r) => this.hiddenRuns.includes(r.runId)).length;
    return html`
      <div class="toolbar">
        <label
          >Filter
          <input
            type="search"
            aria-label="filter runs (text, #tag or /regex/)"
            placeholder="text, #tag or /regex/"
            .value=${this.filter}
            @input=${(e: Event) => {
              this.filter = (e.target as HTMLInputElement).value;
              this.#changed();
            }}
        /></label>
        <label
          >Group by
          <select
            aria-label="group runs by"
            @change=${(e: Event) => {
              this.groupBy = (e.target as HTMLSelectElement).value;
              this.#changed();
            }}
          >
            <option value="" ?selected=${this.groupBy === ''}>none</option>
            ${groupFields(this.list).map(
              (field) =>
                html`<option value=${field} ?selected=${this.groupBy === field}>
                  ${field === 'config' ? 'config (all but seed)' : field}
                </option>`,
            )}
          </select></label
        >
        <span>${filtered.length} of ${this.list.length} runs</span>
        ${
          hiddenCount > 0
            ? html`<label
              ><input
                type="checkbox"
                .checked=${this.showHidden}
                @change=${(e: Event) => {
                  this.showHidden = (e.target as HTMLInputElement).checked;
                  this.#changed();
                }}
              />show ${hiddenCount} hidden</label
            >`
            : nothing
        }
        ${filter.error ? html`<span class="error" role="alert">${filter.error}</span>` : nothing}
      </div>
      ${this.#actions()}
      ${
        this.list.length === 0
          ? html`<div class="empty">No runs yet.</div>`
          : html`<div class="wrap"><table aria-label="runs">
            <thead>
              <tr>
                <th scope="col"><span class="sr-only">On the charts</span></th>
                ${columns.map((column) => this.#header(column))}
              </tr>
            </thead>
            <tbody>
              ${this.#colored(groups).map(
                ({ group, color }) =>
                  html`${group.label === undefined ? nothing : this.#groupRow(group.label, group.all)}${group.runs.map((run) => this.#row(run, selected, color))}`,
              )}
            </tbody>
          </table></div>
          ${
            filtered.length > limit
              ? html`<button type="button" class="more" @click=${() => {
                  this.limit = limit + this.pageSize;
                }}>
                  Show ${Math.min(this.pageSize, filtered.length - limit)} more (${limit} of ${filtered.length} shown)
                </button>`
              : nothing
          }`
      }
    `;
  }

  #header(column: ListColumn): TemplateResult {
    const sorted = this.sortKey === column.key;
    return html`<th
      scope="col"
      class=${column.numeric ? 'num' : ''}
      aria-sort=${sorted ? this.sortDirection : 'none'}
    >
      <button type="button" class="sort" @click=${() => this.#sortBy(column.key)}>
        ${column.label}${sorted ? (this.sortDirection === 'ascending' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>`;
  }

  #groupRow(label: string, runs: readonly RunSummary[]): TemplateResult {
    const losses = runs.map((r) => r.loss).filter(Number.isFinite);
    const mean = losses.length ? losses.reduce((a, b) => a + b, 0) / losses.length : Number.NaN;
    return html`<tr class="group">
      <th colspan=${columns.length + 1} scope="rowgroup">
        ${label}<span class="stats"
          >${runs.length} run${runs.length === 1 ? '' : 's'}${
            losses.length
              ? ` · loss mean ${formatNumber(mean)}, ${formatNumber(Math.min(...losses))} – ${formatNumber(Math.max(...losses))}`
              : ''
          }</span
        >
      </th>
    </tr>`;
  }

  /**
   * The swatch colour per group: ungrouped, each shown run has its own (its index on the charts);
   * grouped, the charts draw one line per group that has shown runs, so those runs share its colour.
   */
  #colored<G extends { readonly runs: readonly RunSummary[] }>(
    groups: G[],
  ): { group: G; color: string | undefined }[] {
    if (!this.groupBy) return groups.map((group) => ({ group, color: undefined }));
    let index = 0;
    return groups.map((group) => ({
      group,
      color: group.runs.some((r) => this.shown.includes(r.runId)) ? this.#theme!.colorAt(index++) : undefined,
    }));
  }

  #row(run: RunSummary, selected: ReadonlySet<string>, groupColor?: string): TemplateResult {
    const shownAt = this.shown.indexOf(run.runId);
    const color = shownAt < 0 ? '' : (groupColor ?? this.#theme!.colorAt(shownAt));
    const hidden = this.hiddenRuns.includes(run.runId);
    return html`<tr
      data-run-id=${run.runId}
      class=${hidden ? 'hidden-run' : ''}
      aria-current=${run.runId === this.focused ? 'true' : 'false'}
    >
      <td>
        <input
          type="checkbox"
          aria-label="show ${run.name} on the charts"
          .checked=${selected.has(run.runId)}
          @change=${(e: Event) => this.#toggle(run.runId, (e.target as HTMLInputElement).checked)}
          @keydown=${(e: KeyboardEvent) => this.#onRowKey(e, run.runId)}
        />
      </td>
      <td>
        <span class="swatch ${color ? '' : 'none'}" style=${color ? `background:${color}` : ''}></span
        ><button type="button" class="name" tabindex="-1" @click=${() => this.#focus(run.runId)}>${run.name}</button>
      </td>
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
      <td class="num">${formatStart(run.startedAt)}</td>
      <td class="num">${formatDuration(run.time)}</td>
      <td class="num">${run.step}</td>
      <td class="num">${formatLoss(run.loss)}</td>
      <td class="num">${formatLoss(run.bestLoss)}</td>
      <td>${run.optimizer}</td>
      <td class="hp">${formatHyperparams(run.hyperparams)}</td>
      <td>${(run.tags ?? []).map((tag) => html`<span class="tag">${tag}</span>`)}</td>
    </tr>`;
  }

  /** Rename, tags, hide and delete for the focused run. */
  #actions(): TemplateResult | typeof nothing {
    const run = this.list.find((r) => r.runId === this.focused);
    if (!run) return nothing;
    const hidden = this.hiddenRuns.includes(run.runId);
    const canEdit = this.editable;
    const live = isLive(run.status);
    const why = canEdit ? '' : this.readonlyReason || 'read-only';
    return html`<div class="actions" role="group" aria-label="focused run">
      <span class="focused" title=${run.runId}>${run.name}</span>
      <button type="button" ?disabled=${!canEdit} title=${why} @click=${() => this.#edit('rename')}>Rename</button>
      <button type="button" ?disabled=${!canEdit} title=${why} @click=${() => this.#edit('tags')}>Tags</button>
      <button type="button" @click=${() => this.#setHidden(run.runId, !hidden)}>${hidden ? 'Unhide' : 'Hide'}</button>
      <button
        type="button"
        ?disabled=${!canEdit || live}
        title=${live ? 'stop the run first: a live run cannot be deleted' : why}
        @click=${() => this.#edit('delete')}
      >
        Delete
      </button>
      ${canEdit ? nothing : html`<span class="note">${why}</span>`}
      ${this.#editor(run)}
    </div>`;
  }

  #editor(run: RunSummary): TemplateResult | typeof nothing {
    if (!this.editing || !this.editable) return nothing;
    if (this.editing === 'delete')
      return html`<span role="alertdialog" aria-label="confirm delete"
        >Delete “${run.name}” and all its events from the store?
        <button type="button" @click=${() => this.#emitEdit({ action: 'delete', runId: run.runId })}>
          Delete run
        </button>
        <button type="button" @click=${() => this.#edit(undefined)}>Cancel</button></span
      >`;
    const rename = this.editing === 'rename';
    return html`<form
      @submit=${(e: Event) => {
        e.preventDefault();
        const value = (e.target as HTMLFormElement).querySelector('input')!.value.trim();
        if (rename) {
          if (value) this.#emitEdit({ action: 'rename', runId: run.runId, name: value });
        } else
          this.#emitEdit({
            action: 'tags',
            runId: run.runId,
            tags: [...new Set(value.split(/[\s,]+/).filter(Boolean))],
          });
      }}
    >
      <input
        aria-label=${rename ? 'new name' : 'tags (space or comma separated)'}
        .value=${rename ? run.name : (run.tags ?? []).join(' ')}
        maxlength=${rename ? 200 : 2000}
      />
      <button type="submit">Save</button>
      <button type="button" @click=${() => this.#edit(undefined)}>Cancel</button>
    </form>`;
  }

  #edit(what: 'rename' | 'tags' | 'delete' | undefined): void {
    this.editing = what;
    if (what && what !== 'delete')
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLInputElement>('.actions form input')?.select(),
      );
  }

  #emitEdit(detail: RunEditDetail): void {
    this.editing = undefined;
    this.dispatchEvent(new CustomEvent<RunEditDetail>('run-edit', { detail, bubbles: true, composed: true }));
  }

  #setHidden(runId: string, hide: boolean): void {
    const next = new Set(this.hiddenRuns);
    if (hide) next.add(runId);
    else next.delete(runId);
    this.hiddenRuns = [...next];
    if (hide && this.selected.includes(runId)) this.#toggle(runId, false);
    this.#changed();
  }

  #sortBy(key: string): void {
    if (this.sortKey === key) {
      if (this.sortDirection === 'ascending') this.sortDirection = 'descending';
      else {
        this.sortKey = '';
        this.sortDirection = 'ascending';
      }
    } else {
      this.sortKey = key;
      this.sortDirection = 'ascending';
    }
    this.#changed();
  }

  #changed(): void {
    this.dispatchEvent(
      new CustomEvent<RunListState>('list-change', { detail: this.state, bubbles: true, composed: true }),
    );
  }

  /** One Tab stop per run: arrows move between rows, Enter focuses the run. */
  #onRowKey(e: KeyboardEvent, runId: string): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      this.#focus(runId);
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const boxes = [...this.renderRoot.querySelectorAll<HTMLInputElement>('tbody input[type="checkbox"]')];
    const i = boxes.indexOf(e.target as HTMLInputElement);
    boxes[Math.max(0, Math.min(boxes.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
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

/** The groups cut to their first `limit` runs in all (later groups dropped, the last one cut). */
function truncateGroups(
  groups: { label?: string; runs: readonly RunSummary[] }[],
  limit: number,
): { label?: string; runs: readonly RunSummary[]; all: readonly RunSummary[] }[] {
  const out: { label?: string; runs: readonly RunSummary[]; all: readonly RunSummary[] }[] = [];
  let left = limit;
  for (const group of groups) {
    if (left <= 0) break;
    out.push({
      ...group,
      runs: group.runs.length <= left ? group.runs : group.runs.slice(0, left),
      all: group.runs,
    });
    left -= group.runs.length;
  }
  return out;
}

/** A loss cell: `—` where there is none (a run from the server whose events are not loaded). */
function formatLoss(value: number): string {
  return Number.isNaN(value) ? '—' : formatNumber(value);
}

declare global {
  interface HTMLElementTagNameMap {
    'downhill-run-list': DownhillRunList;
  }
}
