import type { RunCommand } from '@downhill/core';
import { css, html, LitElement, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { RunCommandEvent } from './run-command-event.js';
import { isLive } from './run-status.js';
import type { RunSummary } from './run-summary.js';
import { themeStyles } from './theme.js';

/**
 * `<downhill-run-controls>`: stop, pause / resume and set the learning rate of one live run. Each
 * action fires a `run-command` event (`RunCommandEvent`) and, when given, calls `send`; the page
 * forwards it to wherever the run lives (the server through the client, or a `train()` control
 * Subject in the same page). Disabled when the run is not live or `readonly` is set (the server
 * refuses commands without its launch token).
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
    `,
  ];

  @property({ attribute: false }) accessor run: RunSummary | undefined;
  /** Called with every command, besides the `run-command` event. */
  @property({ attribute: false }) accessor send: ((runId: string, command: RunCommand) => void) | undefined;
  @property({ type: Boolean }) accessor readonly = false;
  @state() private accessor error = '';

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
      <span class="name">${run ? `${run.name}` : 'No run selected'}</span>
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
      ${this.error ? html`<span class="error" role="alert">${this.error}</span>` : nothing}
    </form>`;
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
