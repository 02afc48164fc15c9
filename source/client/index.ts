// The client side of CodeChat: ChatClient and what it needs to be used.
export {ChatClient} from './client.js';
export type {ChatClientEvents, ChatClientOptions, RosterSource} from './events.js';
export {humanError} from './errors.js';
export {formatAddress} from '../protocol/address.js';
export {CLIENT_EVENTS, type ChatClientEventName, type ClientEventHandlers} from './events.js';
export {subscribe} from './subscribe.js';
export type {RosterSnapshot, RosterUser} from '../protocol/roster.js';
export {backoffDelay, DEFAULT_BACKOFF, type BackoffOptions} from './backoff.js';
export {DEFAULT_OUTBOX_CAPACITY} from './outbox.js';
export {DEFAULT_SEND_RATE, type RateOptions} from './pacer.js';
export {tcpTransport, tlsTransport, type TlsOptions, type TransportFactory, type TransportTarget} from './transport.js';
export type {Clock} from './timers.js';
