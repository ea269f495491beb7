export { workerEntry } from './worker-entry.js';
