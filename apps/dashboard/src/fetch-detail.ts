import type { TrainEvent } from '@downhill/core';
import { asTrainEvent, wireEventSchema } from '@downhill/protocol';

/**
 * The events of one run between two `seq`s from the server's HTTP API, min/max-downsampled by the
 * server only when the range holds more than `points` steps (what a zoomed chart asks for).
 */
export async function fetchDetail(options: {
  readonly server: string;
  readonly runId: string;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly points: number;
}): Promise<TrainEvent[]> {
  const { server, runId, fromSeq, toSeq, points } = options;
  const url = `${server}/api/runs/${encodeURIComponent(runId)}/events?fromSeq=${fromSeq}&toSeq=${toSeq}&points=${points}`;
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`fetchDetail: ${url} answered ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { events: unknown[] };
  return body.events.map((event) => asTrainEvent(wireEventSchema.parse(event)));
}
