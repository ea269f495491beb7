export type { OriginPolicy } from './check-upgrade.js';
export { refusalReason } from './check-upgrade.js';
export { CSV_HEADER, eventCsvRow } from './event-csv.js';
export type { HubStats } from './run-hub.js';
export type { DownsampleRange, EventRange, EventTexts, RunStore } from './run-store.js';
export type { ServerOptions } from './server-options.js';
export { SqliteRunStore } from './sqlite-run-store.js';
export type { AttachedRun, DownhillServer } from './start-server.js';
export { startServer } from './start-server.js';
