import {
  asTrainEvent,
  type LinkEntry,
  type RunLinkHandlers,
  type RunLinkTransport,
  wireEventSchema,
} from '@downhill/protocol';
import type { LinkEndpoint, PendingEvent } from './live-run.js';
import type { RunHub } from './run-hub.js';

/**
 * The run link within one thread: the trainer side calls the hub directly; the hub's answers
 * come back in a microtask, as they would over any other transport, never inside the call that
 * caused them.
 */
export function localTransport(hub: RunHub): RunLinkTransport {
  let handlers: RunLinkHandlers | undefined;
  let closed = false;
  const later = (deliver: (to: RunLinkHandlers) => void): void =>
    queueMicrotask(() => {
      if (!closed && handlers) deliver(handlers);
    });
  const endpoint: LinkEndpoint = {
    origin: 'local',
    attached: (_runId, nextSeq) => later((to) => to.attached(nextSeq)),
    acked: (_runId, seq) => later((to) => to.acked(seq)),
    command: (_runId, command) => later((to) => to.command(command)),
    refused: (_runId, code, message) => later((to) => to.refused({ code, message })),
  };
  return {
    needsText: false,
    start: (given) => {
      handlers = given;
      later((to) => to.up());
    },
    attach: (runId, meta) => hub.claim(runId, endpoint, meta),
    send: (runId, entries: readonly LinkEntry[]) =>
      hub.receive(
        runId,
        endpoint,
        // An entry that holds its event is a pending event as it is (no copy per event).
        entries.map((entry) =>
          entry.event
            ? (entry as PendingEvent)
            : { event: asTrainEvent(wireEventSchema.parse(JSON.parse(entry.text!))), text: entry.text! },
        ),
      ),
    close: () => {
      closed = true;
      hub.release(endpoint);
    },
  };
}
