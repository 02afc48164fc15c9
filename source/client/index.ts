// The client side of CodeChat: ChatClient and what it needs to be used.
export {ChatClient} from './client.js';
export type {ChatClientEvents, ChatClientOptions, RosterSource} from './events.js';
export {humanError, formatAddress} from './errors.js';
export {backoffDelay, DEFAULT_BACKOFF, type BackoffOptions} from './backoff.js';
export {DEFAULT_OUTBOX_CAPACITY} from './outbox.js';
export {DEFAULT_SEND_RATE, type RateOptions} from './pacer.js';
export {tcpTransport, tlsTransport, type TlsOptions, type TransportFactory, type TransportTarget} from './transport.js';
export type {Clock} from './timers.js';
