// `@downhill/client/node`: the Node-only parts of the client (files).
export type { FileSpoolOptions } from './file-spool.js';
export { FileSpool } from './file-spool.js';
