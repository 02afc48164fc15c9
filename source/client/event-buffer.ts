// Holds a client's events from the moment it starts until the interface that
// shows them has loaded, so the connection can be made while Ink loads
// instead of after it (bench: time to the first connected frame).
import type {RosterSnapshot} from '../protocol/roster.js';
import type {ChatClient} from './client.js';
import {CLIENT_EVENTS, type ChatClientEvents} from './events.js';

/** An event as it was emitted, with the roster as it stood right after it. */
export type BufferedEvent = {[K in keyof ChatClientEvents]: {name: K; payload: ChatClientEvents[K]; roster: RosterSnapshot}}[keyof ChatClientEvents];

export class EventBuffer {
	readonly #events: BufferedEvent[] = [];
	readonly #unsubscribe: Array<() => void> = [];
	#drained = false;

	constructor(client: ChatClient) {
		for (const name of CLIENT_EVENTS) {
			const listener = (payload: unknown) => {
				this.#events.push({name, payload, roster: client.roster} as BufferedEvent);
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
