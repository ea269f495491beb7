import { z } from 'zod';

/**
 * Why a message was refused. The connection stays open after every one of them.
 * - `bad-json`: the frame was not JSON text;
 * - `invalid-message`: JSON, but not a message of this protocol (the error names the field);
 * - `unknown-type`: a `type` this protocol does not have;
 * - `unknown-run`: no run with that id;
 * - `unauthorized`: control or publishing without the right token;
 * - `run-ended`: a command for a run that has ended or whose trainer is gone;
 * - `not-publisher`: events for a run this connection did not `publish`;
 * - `conflict`: the run is trained inside the server, or a newer connection took over its publishing;
 * - `too-large`: a request asks for more than the server sends at once;
 * - `store-failed`: the store could not commit (disk full, read-only file ...): the events were
 *   not acknowledged and should be sent again later; the server goes on serving what it has;
 * - `busy`: the connection has too much outstanding (requests or subscriptions): retry later.
 */
export const errorCodeSchema = z.enum([
  'bad-json',
  'invalid-message',
  'unknown-type',
  'unknown-run',
  'unauthorized',
  'run-ended',
  'not-publisher',
  'conflict',
  'too-large',
  'store-failed',
  'busy',
]);
export type ErrorCode = z.output<typeof errorCodeSchema>;
