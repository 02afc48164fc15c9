// Two in-memory Duplex streams wired to each other, for ChatClient unit
// tests without a port. A write's callback is held until the peer has read
// the chunk, so backpressure is real; destroying either side closes both
// (unlike a plain pair of PassThroughs, which would leave the peer open).
import {Duplex} from 'node:stream';

class End extends Duplex {
	peer!: End;
	readonly #held: Array<() => void> = [];

	override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
		this.#held.push(callback);
		this.peer.push(chunk);
	}

	override _read(): void {
		// The peer's writer may go on once we want more.
		for (const callback of this.peer.#held.splice(0)) callback();
	}

	override _final(callback: (error?: Error | null) => void): void {
		this.peer.push(null);
		callback();
	}

	override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
		for (const held of this.#held.splice(0)) held();
		if (!this.peer.destroyed) this.peer.destroy();
		callback(error);
	}
}

export function duplexPair(): [Duplex, Duplex] {
	const a = new End();
	const b = new End();
	a.peer = b;
	b.peer = a;
	return [a, b];
}
