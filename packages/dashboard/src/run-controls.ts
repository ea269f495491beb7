import type { RunCommand } from '@downhill/core';
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { RunCommandEvent } from './run-command-event.js';
import { isLive } from './run-status.js';
import type { RunSummary } from './run-summary.js';
import { themeStyles } from './theme.js';

/**
 * `<downhill-run-controls>`: stop, pause / resume, set the learning rate and (given `settable`)
 * any other live hyperparameter of one live run
 * (picked among `runs`, the runs on the charts, when there are several). Each
 * action fires a `run-command` event (`RunCommandEvent`) and, when given, calls `send`; the page
 * forwards it to wherever the run lives (the server through the client, or a `train()` control
 * Subject in the same page). Disabled when the run is not live or `readonly` is set (the server
 * refuses commands without its launch token; `readonlyReason` says so); `notice` shows what the
 * last command did, right beside the buttons.
 */
@customElement('downhill-run-controls')
export class DownhillRunControls extends LitElement {
  static override styles = [
    themeStyles,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 10px;
        align-items: center;
      }
      input[type='number'] {
        width: 9em;
      }
      .error {
        color: var(--_danger);
      }
      .name {
        font-weight: 600;
      }
      .note,
      .notice {
        color: var(--_muted);
        font-size: 12px;
      }
    `,
  ];

  @property({ attribute: false }) accessor run: RunSummary | undefined;
  /**
   * The runs these controls may act on (the runs on the charts): with more than one, a picker
   * chooses which; `run` follows the choice.
   */
  @property({ attribute: false }) accessor runs: readonly RunSummary[] = [];
  /** Why the controls are disabled when `readonly` (e.g. no launch token in this tab). */
  @property({ attribute: 'readonly-reason' }) accessor readonlyReason = '';
  /** The outcome of the last command (`Paused “adam lr 0.01”`), shown beside the buttons. */
  @property() accessor notice = '';
  /** Called with every command, besides the `run-command` event. */
  @property({ attribute: false }) accessor send: ((runId: string, command: RunCommand) => void) | undefined;
  @property({ type: Boolean }) accessor readonly = false;
  /**
   * Hyperparameters the run accepts while live (its start event's `config.settable`): besides the
   * learning rate, each can be picked and set.
   */
  @property({ attribute: false }) accessor settable: readonly string[] | undefined;
  @state() private accessor error = '';
  @state() private accessor chosen = '';

  protected override render(): TemplateResult {
    const run = this.run;
    const live = run !== undefined && isLive(run.status) && !this.readonly;
    const paused = run?.status === 'paused';
    // novalidate: a bad value gets our message, not a silent refusal by the browser.
    return html`<form
      novalidate
      aria-label="run controls"
      @submit=${(e: Event) => {
        e.preventDefault();
        this.#setLearningRate();
      }}
    >
      ${
        this.runs.length > 1
          ? html`<label
            >Run
            <select
              aria-label="run to control"
              @change=${(e: Event) => {
                const id = (e.target as HTMLSelectElement).value;
                this.run = this.runs.find((r) => r.runId === id);
                this.dispatchEvent(
                  new CustomEvent<{ runId: string }>('controls-run-change', {
                    detail: { runId: id },
                    bubbles: true,
                    composed: true,
                  }),
                );
              }}
            >
              ${this.runs.map(
                (r) =>
                  html`<option value=${r.runId} ?selected=${r.runId === run?.runId}>${r.name} (${r.status})</option>`,
              )}
            </select></label
          >`
          : html`<span class="name">${run ? `${run.name}` : 'No run selected'}</span>`
      }
      <button type="button" ?disabled=${!live} @click=${() => this.#command({ type: 'stop', source: 'dashboard' })}>
        Stop
      </button>
      <button
        type="button"
        ?disabled=${!live}
        @click=${() => this.#command({ type: paused ? 'resume' : 'pause', source: 'dashboard' })}
      >
        ${paused ? 'Resume' : 'Pause'}
      </button>
      <label
        >learning rate
        <input
          type="number"
          name="learningRate"
          aria-label="new learning rate"
          min="0"
          step="any"
          placeholder=${run && Number.isFinite(run.learningRate) ? String(run.learningRate) : ''}
          ?disabled=${!live}
      /></label>
      <button type="submit" ?disabled=${!live}>Set learning rate</button>
      ${this.#otherHyperparameters(live)}
      ${this.error ? html`<span class="error" role="alert">${this.error}</span>` : nothing}
      ${this.readonly && this.readonlyReason ? html`<span class="note">${this.readonlyReason}</span>` : nothing}
      <span class="notice" role="status">${this.notice}</span>
    </form>`;
  }

  #otherHyperparameters(live: boolean): TemplateResult | typeof nothing {
    const others = (this.settable ?? []).filter((name) => name !== 'learningRate');
    if (others.length === 0) return nothing;
    const chosen = others.includes(this.chosen) ? this.chosen : others[0]!;
    const current = this.run?.hyperparams[chosen];
    return html`<label
        >set
        <select
          name="hyperparameter"
          aria-label="hyperparameter to set"
          ?disabled=${!live}
          @change=${(e: Event) => {
            this.chosen = (e.target as HTMLSelectElement).value;
          }}
        >
          ${others.map((name) => html`<option value=${name} ?selected=${name === chosen}>${name}</option>`)}
        </select></label
      >
      <input
        type="number"
        name="hyperparameterValue"
        aria-label="new hyperparameter value"
        min="0"
        step="any"
        placeholder=${typeof current === 'number' ? String(current) : ''}
        ?disabled=${!live}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          this.#setHyperparameter(chosen);
        }}
      />
      <button type="button" ?disabled=${!live} @click=${() => this.#setHyperparameter(chosen)}>Set</button>`;
  }

  #setHyperparameter(name: string): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[name="hyperparameterValue"]')!;
    const value = Number(input.value);
    if (input.value.trim() === '' || !Number.isFinite(value) || value < 0) {
      this.error = `${name} must be a finite number >= 0, got "${input.value}"`;
      return;
    }
    this.error = '';
    this.#command({ type: 'set', name, value, source: 'dashboard' });
    input.value = '';
  }

  #setLearningRate(): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('input[name="learningRate"]')!;
    const value = Number(input.value);
    if (input.value.trim() === '' || !Number.isFinite(value) || value < 0) {
      this.error = `learning rate must be a finite number >= 0, got "${input.value}"`;
      return;
    }
    this.error = '';
    this.#command({ type: 'set', name: 'learningRate', value, source: 'dashboard' });
    input.value = '';
  }

  #command(command: RunCommand): void {
    const run = this.run;
    if (!run) return;
    this.dispatchEvent(new RunCommandEvent({ runId: run.runId, command }));
    this.send?.(run.runId, command);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'downhill-run-controls': DownhillRunControls;
  }
}
