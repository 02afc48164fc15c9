// Holds a client's events from the moment it starts until the interface that
// shows them has loaded, so the connection can be made while Ink loads
// instead of after it (bench: time to the first connected frame).
import type {ChatClient} from './client.js';
import type {ChatClientEvents} from './events.js';

export type BufferedEvent = {[K in keyof ChatClientEvents]: {name: K; payload: ChatClientEvents[K]}}[keyof ChatClientEvents];

const eventNames: Array<keyof ChatClientEvents> = [
	'connected', 'message', 'enter', 'exit', 'rename', 'roster', 'sent', 'failed', 'renamed', 'renameFailed',
	'outcome', 'disconnected', 'reconnecting', 'lag', 'error', 'warning',
];

export class EventBuffer {
	readonly #events: BufferedEvent[] = [];
	readonly #unsubscribe: Array<() => void> = [];
	#drained = false;

	constructor(client: ChatClient) {
		for (const name of eventNames) {
			const listener = (payload: unknown) => {
				this.#events.push({name, payload} as BufferedEvent);
			};

			client.on(name, listener);
			this.#unsubscribe.push(() => client.off(name, listener));
		}
	}

	/**
	 * Stops holding events and hands over the ones held, oldest first. Call it
	 * right after subscribing the real listeners, in the same turn, so that no
	 * event falls between the two.
	 */
	drain(): BufferedEvent[] {
		if (this.#drained) return [];
		this.#drained = true;
		for (const off of this.#unsubscribe) off();
		return this.#events.splice(0);
	}
}
