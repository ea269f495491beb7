import type { RunCommand } from '@downhill/core';

/** Detail of the `run-command` event the controls fire: what to send to which run. */
export interface RunCommandDetail {
  readonly runId: string;
  readonly command: RunCommand;
}

/** Fired (bubbling, composed) by `<downhill-run-controls>`; the app forwards it to the client. */
export class RunCommandEvent extends CustomEvent<RunCommandDetail> {
  constructor(detail: RunCommandDetail) {
    super('run-command', { detail, bubbles: true, composed: true });
  }
}
