import type { TrainEvent } from '@downhill/core';

/** Columns of the CSV export, one row per event. */
export const CSV_HEADER = 'seq,type,time,step,epoch,batch,loss,validationLoss,gradNorm,learningRate,note';

/**
 * One event as a CSV row (RFC 4180 quoting). Non-finite numbers are left empty; `note` says what
 * a control event did (`learningRate=0.01 by user`, `paused by dashboard`, `end: converged`).
 */
export function eventCsvRow(event: TrainEvent): string {
  const cells: unknown[] = [event.seq, event.type, event.time];
  switch (event.type) {
    case 'step':
      cells.push(
        event.step,
        event.epoch,
        event.batch,
        event.loss,
        '',
        event.gradNorm,
        event.learningRate,
        '',
      );
      break;
    case 'epoch':
      cells.push(event.step, event.epoch, '', event.loss, event.validationLoss, '', '', '');
      break;
    case 'hyperparam':
      cells.push(event.step, '', '', '', '', '', '', `${event.name}=${event.value} by ${event.source}`);
      break;
    case 'status':
      cells.push(event.step, '', '', '', '', '', '', `${event.status} by ${event.source}`);
      break;
    case 'end':
      cells.push(
        event.step,
        event.epoch,
        '',
        event.loss,
        '',
        '',
        '',
        `end: ${event.reason}${event.error ? ` (${event.error})` : ''}`,
      );
      break;
    case 'start':
      cells.push(event.step, '', '', '', '', '', '', 'start');
      break;
    case 'warning':
      cells.push('', '', '', '', '', '', '', event.message);
      break;
  }
  return cells.map(csvCell).join(',');
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
