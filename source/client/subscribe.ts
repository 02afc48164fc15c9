// Subscribes a table of handlers, one per client event (see CLIENT_EVENTS),
// and returns the function that unsubscribes them all.
import type {TypedEmitter} from './emitter.js';
import {CLIENT_EVENTS, type ChatClientEventName, type ChatClientEvents, type ClientEventHandlers} from './events.js';

export function subscribe(client: TypedEmitter<ChatClientEvents>, handlers: ClientEventHandlers): () => void {
	const offs: Array<() => void> = [];
	for (const name of CLIENT_EVENTS) {
		const handler = handlers[name] as ((payload: ChatClientEvents[ChatClientEventName]) => void) | undefined;
		if (!handler) continue;
		client.on(name, handler);
		offs.push(() => client.off(name, handler));
	}

	return () => {
		for (const off of offs) off();
	};
}
