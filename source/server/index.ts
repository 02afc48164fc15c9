// The reference server's public API.
export {startServer, type ChatServer, type ServerCloseOptions} from './server.js';
export {resolveOptions, DEFAULT_SERVER_OPTIONS, ServerOptionsError, type ServerOptions} from './options.js';
export type {Hub, HubMember} from './hub.js';
export {LocalHub} from './local-hub.js';
export {runServe, serveFlagsToOptions, type ServeFlags, type ServeEnvironment} from './serve-command.js';
export {RedisHub} from './redis/redis-hub.js';
export {StoreError, type MessageLog} from './store/message-log.js';
