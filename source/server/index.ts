// The reference server's public API.
export {startServer, type ChatServer} from './server.js';
export {resolveOptions, DEFAULT_SERVER_OPTIONS, ServerOptionsError, type ServerOptions} from './options.js';
export type {Hub, HubMember} from './hub.js';
export {LocalHub} from './local-hub.js';
export {runServe, serveFlags, serveHelp, serveFlagsToOptions, type ServeFlags, type ServeEnvironment} from './serve-command.js';
export {RedisHub} from './redis-hub.js';
