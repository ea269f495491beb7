// One finished run (an array of events, no stream) in a learning curve: deterministic pixels for
// the smoothing, zoom and export tests.
import { emaSmooth } from '@downhill/core';
import '../../src/index.js';
import { finishedRun } from './paced-runs.js';

const events = finishedRun({ runId: 'history', steps: 20_000 });
const curve = document.querySelector('downhill-learning-curve')!;
curve.events = events;
const zooms: unknown[] = [];
curve.addEventListener('zoom-change', (event) => zooms.push((event as CustomEvent).detail));
Object.assign(window, { harness: { events, emaSmooth, zooms } });
