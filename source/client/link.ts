// One connection's worth of wire: a socket, its frame decoder and the
// normaliser. It turns bytes into Inbound items for the client and commands
// into NDJSON lines, and reports its end once. The client owns the
// lifecycle; a Link is never reused after it closes.
import type {Duplex} from 'node:stream';
import {FrameDecoder, type MalformedProblem} from '../protocol/decoder.js';
import {normaliseFrame} from '../protocol/normalise.js';
import {encodeFrame} from '../protocol/encoder.js';
import type {Command, Inbound} from '../protocol/types.js';

export type LinkHandlers = {
	/** The transport reached the server (TCP connected, or TLS handshake done). */
	onReached(): void;
	onInbound(item: Inbound): void;
	/** A bad frame from the server; `reason` starts with "malformed frame". */
	onMalformed(problem: MalformedProblem, reason: string): void;
	/** A frame passed maxFrameBytes. */
	onOverflow(limit: number): void;
	/** The socket closed without destroy() being called; `error` is why, if there was one. */
	onClosed(error: Error | undefined): void;
};

const ignoreError = (): void => {};

export class Link {
	readonly #decoder: FrameDecoder;
	#open = true;
	#lastError: Error | undefined;

	constructor(private readonly socket: Duplex, maxFrameBytes: number, private readonly handlers: LinkHandlers) {
		this.#decoder = new FrameDecoder({maxFrameBytes});
		socket.on('connect', this.#onConnect);
		socket.on('secureConnect', this.#onSecureConnect);
		socket.on('data', this.#onData);
		socket.on('error', this.#onError);
		socket.on('close', this.#onClose);
		// A server that ends its side is done with us; end ours so 'close' follows.
		socket.on('end', this.#onEnd);
	}

	write(command: Command): void {
		if (this.#open) this.socket.write(encodeFrame(command));
	}

	/** Closes the socket without reporting it: the client already knows why. */
	destroy(): void {
		if (!this.#open) return;
		this.#open = false;
		this.#detach();
		this.socket.destroy();
	}

	readonly #onConnect = (): void => {
		// A TLS socket also emits 'connect' once TCP is up; it is "reached" only after the handshake.
		if (this.#open && !('encrypted' in this.socket)) this.handlers.onReached();
	};

	readonly #onSecureConnect = (): void => {
		if (this.#open) this.handlers.onReached();
	};

	readonly #onData = (chunk: Buffer | string): void => {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		this.#decoder.push(bytes, item => {
			// A handler may have destroyed the link (overflow): drop the rest of the chunk.
			if (!this.#open) return;
			if (item.type === 'frame') this.handlers.onInbound(normaliseFrame(item.frame));
			else if (item.type === 'malformed') this.handlers.onMalformed(item.problem, item.reason);
			else this.handlers.onOverflow(item.limit);
		});
	};

	readonly #onError = (error: Error): void => {
		this.#lastError ??= error;
	};

	readonly #onEnd = (): void => {
		if (this.#open) this.socket.end();
	};

	readonly #onClose = (): void => {
		if (!this.#open) return;
		this.#open = false;
		this.#detach();
		this.handlers.onClosed(this.#lastError);
	};

	#detach(): void {
		this.socket.off('connect', this.#onConnect);
		this.socket.off('secureConnect', this.#onSecureConnect);
		this.socket.off('data', this.#onData);
		this.socket.off('error', this.#onError);
		this.socket.off('close', this.#onClose);
		this.socket.off('end', this.#onEnd);
		// A destroyed socket may still report an error; keep one listener so it is not thrown.
		if (this.socket.listenerCount('error') === 0) this.socket.on('error', ignoreError);
	}
}
