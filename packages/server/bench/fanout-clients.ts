// The 100 clients of the fan-out benchmark, in their own process (so the server's process only
// serves): raw `ws` sockets that all receive every frame. On this 2-core machine 100 clients
// parsing 10,000 events/s each would take the CPU the run needs (real clients sit in browsers on
// other machines), so 10 probe clients parse every frame (counting events, sampling latency) and
// the others count the bytes they receive.
import { fromStepColumns, mergeBySeq, SUBPROTOCOL } from '@downhill/protocol';
import WebSocket from 'ws';

interface Job {
  readonly runId: string;
  /** Wall clock (ms, performance.timeOrigin based) of the run's start. */
  readonly t0: number;
  readonly lastSeq: number;
}

const [url, countText] = process.argv.slice(2);
const count = Number(countText ?? 100);
const PROBES = 10;
let bytes = 0;
const sockets: WebSocket[] = [];
let job: Job | undefined;
let received = 0;
let finished = 0;
let latencies: number[] = [];
/** CPU time of this process when the job arrived. */
let cpuAtJob = process.cpuUsage();

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

for (let i = 0; i < count; i++) {
  const socket = new WebSocket(`${url!.replace('http', 'ws')}/ws`, SUBPROTOCOL);
  sockets.push(socket);
  const probe = i < PROBES;
  socket.on('message', (data) => {
    bytes += (data as Buffer).length;
    if (!probe) return;
    const message = JSON.parse(String(data));
    if (message.type !== 'events' || !job || message.runId !== job.runId) return;
    const now = performance.timeOrigin + performance.now();
    // Live batches carry step events in columns: expanded as a client's decoding does (without
    // its schema check), so every event is counted and timed.
    const events = message.steps
      ? mergeBySeq(message.events, fromStepColumns(message.runId, message.steps))
      : message.events;
    for (const event of events) {
      received++;
      // Every 16th live event is enough for stable percentiles.
      if (message.phase === 'live' && (event.seq & 15) === 0) latencies.push(now - (job.t0 + event.time));
      if (event.seq === job.lastSeq) finished++;
    }
    if (finished === PROBES) {
      latencies.sort((a, b) => a - b);
      const at = (q: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
      // Every client receives the same frames: events delivered = probe events x clients / probes.
      process.send!({
        type: 'done',
        received: (received * count) / PROBES,
        bytes,
        p50: at(0.5),
        p99: at(0.99),
        samples: latencies.length,
        cpuMs: cpuMs(process.cpuUsage(cpuAtJob)),
      });
    }
  });
}

await Promise.all(sockets.map((socket) => new Promise((resolve) => socket.once('open', resolve))));
process.send!({ type: 'ready' });
process.on('message', (message: Job | { type: 'exit' }) => {
  if ('type' in message) {
    for (const socket of sockets) socket.close();
    process.exit(0);
  }
  job = message;
  received = 0;
  bytes = 0;
  finished = 0;
  latencies = [];
  cpuAtJob = process.cpuUsage();
  for (const socket of sockets) socket.send(JSON.stringify({ type: 'subscribe', runId: job.runId }));
});
