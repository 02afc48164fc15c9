// The chat state: a pure reducer with selectors. No React, no sockets.
export type * from './types.js';
export {DEFAULT_LOG_CAPACITY} from './log.js';
