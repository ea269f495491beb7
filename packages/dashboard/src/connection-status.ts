import { css, html, LitElement, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ObservableController, type StreamSource } from './observable-controller.js';
import { themeStyles } from './theme.js';

/** A connection's state as the dashboard shows it. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

const labels: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

/**
 * `<downhill-connection-status>`: a small badge for the link to the server, announced to screen
 * readers when it changes. `state` is a value or a stream of values (the client's connection state).
 */
@customElement('downhill-connection-status')
export class DownhillConnectionStatus extends LitElement {
  static override styles = [
    themeStyles,
    css`
      :host {
        display: inline-block;
        background: transparent;
      }
      .badge {
        display: inline-flex;
        align-items: center;
        gap: 6px;
        padding: 2px 8px;
        border: 1px solid var(--_border);
        border-radius: 999px;
      }
      .dot {
        width: 8px;
        height: 8px;
        border-radius: 50%;
        background: var(--_muted);
      }
      [data-state='open'] .dot {
        background: var(--_ok);
      }
      [data-state='reconnecting'] .dot,
      [data-state='connecting'] .dot {
        background: var(--_warn);
      }
      [data-state='closed'] .dot {
        background: var(--_danger);
      }
    `,
  ];

  @property({ attribute: false }) accessor state: StreamSource<ConnectionState> | ConnectionState =
    'connecting';
  @state() private accessor current: ConnectionState = 'connecting';

  readonly #stream = new ObservableController<ConnectionState>(this, {
    next: (values) => {
      this.current = values[values.length - 1]!;
    },
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('state')) return;
    if (typeof this.state === 'string') {
      this.#stream.source = undefined;
      this.current = this.state;
    } else this.#stream.source = this.state;
  }

  protected override render(): TemplateResult {
    return html`<span class="badge" role="status" aria-live="polite" data-state=${this.current}
      ><span class="dot" aria-hidden="true"></span>${labels[this.current] ?? this.current}</span
    >`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'downhill-connection-status': DownhillConnectionStatus;
  }
}
