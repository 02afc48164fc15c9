// A connection's output between two flushes (turn-flush.ts), in the order it
// was written: frames of its own, and stretches of its large rooms' batches.
//
// A large room's broadcasts of one flush round go into one RoomBatch, kept
// once for all the room's members, so a broadcast costs the same however
// many members the room has (a join storm announces every join to
// everyone). Each member's outbox refers to a stretch of the batch: from the
// frame where it was attached to the frame where something else was written
// to it. That keeps each connection's order: writing anything else to a
// member first closes its open stretches, and the batch attaches it again
// at its next frame. When the round is flushed the batch's frames are
// joined into one buffer, and a member that had nothing else gets a slice of
// it: one encoding, one copy, one write per member.
import {countEarlyWrite, flushAtEndOfTurn, onFlushRound, type TurnOutput} from './turn-flush.js';

/** Rooms with fewer members deliver each frame to each member: a batch only pays where there are many. */
export const BATCHED_ROOM_MEMBERS = 32;

/** A stretch of a batch in an outbox: frames [from, to), `to` undefined while it is still open. */
type Stretch = {batch: RoomBatch; from: number; to: number | undefined};

/**
 * Own bytes past which an outbox with no batch stretches is written at once
 * rather than at the round's end: under a flood a round can gather more for
 * one reader than its send queue holds, though the reader keeps up.
 */
export const EARLY_WRITE_BYTES = 64 * 1024;

/** The connection's side: `flush` at the round's end (with its checks), `writeEarly` to hand what is waiting to the socket now. */
export type OutboxOutput = TurnOutput & {writeEarly(): void};

export class Outbox {
	readonly #items: Array<Uint8Array | Stretch> = [];
	/** Stretches among #items: while there are any, output waits for the round (the batch is joined then). */
	#stretches = 0;
	/** Stretches whose end is not known yet (one per large room with a batch this round). */
	readonly #open: Stretch[] = [];
	/** Bytes of its own waiting (the batches' are the others' traffic, held once for everyone). */
	#ownBytes = 0;
	readonly #output: OutboxOutput;

	/** `output` is what the flusher calls at the end of the round (the connection's flush, which calls take()). */
	constructor(output: OutboxOutput) {
		this.#output = output;
	}

	get ownBytes(): number {
		return this.#ownBytes;
	}

	get empty(): boolean {
		return this.#items.length === 0;
	}

	write(frame: Uint8Array): void {
		this.#close();
		if (this.#items.length === 0) flushAtEndOfTurn(this.#output);
		this.#items.push(frame);
		this.#ownBytes += frame.byteLength;
		if (this.#stretches === 0 && this.#ownBytes >= EARLY_WRITE_BYTES) {
			countEarlyWrite();
			this.#output.writeEarly();
		}
	}

	/** Everything waiting, in order, as chunks to write; empties the outbox. */
	take(): Uint8Array[] {
		this.#close();
		const chunks: Uint8Array[] = [];
		for (const item of this.#items) {
			if (item instanceof Uint8Array) chunks.push(item);
			else item.batch.slices(this, item.from, item.to!, chunks);
		}

		this.#items.length = 0;
		this.#ownBytes = 0;
		this.#stretches = 0;
		return chunks;
	}

	/** The batch's frames from `from` on go to this member, after what it has already. */
	attach(batch: RoomBatch, from: number): void {
		this.#close();
		if (this.#items.length === 0) flushAtEndOfTurn(this.#output);
		const stretch: Stretch = {batch, from, to: undefined};
		this.#items.push(stretch);
		this.#stretches++;
		this.#open.push(stretch);
	}

	/** The member left the batch's room: its stretch there ends here, and is not reopened. */
	detach(batch: RoomBatch): void {
		const index = this.#open.findIndex(stretch => stretch.batch === batch);
		if (index < 0) return;
		this.#open[index]!.to = batch.length;
		this.#open.splice(index, 1);
	}

	/** Something else comes next: each open stretch ends here, and its batch attaches this member again at its next frame. */
	#close(): void {
		for (const stretch of this.#open) {
			stretch.to = stretch.batch.length;
			stretch.batch.interrupted(this);
		}

		this.#open.length = 0;
	}
}

/** A member as a batch sees it: the outbox of a connection, or (in tests) a member that takes frames one by one. */
export type BatchMember = {readonly outbox?: Outbox; deliver(frame: Uint8Array): void};

/** One large room's broadcasts of one flush round. */
export class RoomBatch {
	readonly #frames: Uint8Array[] = [];
	/** For each sender, the frames it must not get (its own). */
	readonly #skips = new Map<Outbox, number[]>();
	/** Members to attach again at the next frame: something else was written to them, or they just joined. */
	readonly #waiting = new Set<Outbox>();
	/** Members without an outbox: handed each frame at once. */
	readonly #plain = new Set<BatchMember>();
	/** The frames joined, once the round is flushed; `#starts[i]` is where frame i begins. */
	#joined: Buffer | undefined;
	#starts: number[] = [];
	#sealed = false;

	/** Opens the room's batch for this round with its members; `onSealed` runs when the round is flushed. */
	constructor(members: Iterable<BatchMember>, onSealed: () => void) {
		for (const member of members) this.add(member);
		onFlushRound(() => {
			this.#sealed = true;
			onSealed();
		});
	}

	get length(): number {
		return this.#frames.length;
	}

	/** Hands `frame` to every member except `except`. Not after the round was flushed (the room opens a new batch). */
	append(frame: Uint8Array, except?: BatchMember): void {
		const index = this.#frames.length;
		for (const outbox of this.#waiting) outbox.attach(this, index);
		this.#waiting.clear();
		this.#frames.push(frame);
		if (except?.outbox) {
			const skips = this.#skips.get(except.outbox);
			if (skips) skips.push(index);
			else this.#skips.set(except.outbox, [index]);
		}

		for (const member of this.#plain) if (member !== except) member.deliver(frame);
	}

	/** A member that joined the room this round: it gets the frames from the next one on. */
	add(member: BatchMember): void {
		if (member.outbox) this.#waiting.add(member.outbox);
		else this.#plain.add(member);
	}

	/** A member that left the room: nothing more of it. */
	remove(member: BatchMember): void {
		if (!member.outbox) {
			this.#plain.delete(member);
			return;
		}

		this.#waiting.delete(member.outbox);
		member.outbox.detach(this);
	}

	interrupted(outbox: Outbox): void {
		this.#waiting.add(outbox);
	}

	/** Appends to `chunks` the bytes of frames [from, to) that `outbox` gets (not its own). */
	slices(outbox: Outbox, from: number, to: number, chunks: Uint8Array[]): void {
		if (from >= to) return;
		let start = from;
		for (const skip of this.#skips.get(outbox) ?? []) {
			if (skip < start || skip >= to) continue;
			this.#range(start, skip, chunks);
			start = skip + 1;
		}

		this.#range(start, to, chunks);
	}

	#range(from: number, to: number, chunks: Uint8Array[]): void {
		if (from >= to) return;
		// Before the round is flushed (a connection closing, or pausing for its reader), frame by frame.
		if (!this.#sealed) {
			for (let index = from; index < to; index++) chunks.push(this.#frames[index]!);
			return;
		}

		if (!this.#joined) this.#join();
		chunks.push(this.#joined!.subarray(this.#starts[from], this.#starts[to]));
	}

	#join(): void {
		let offset = 0;
		this.#starts = [];
		for (const frame of this.#frames) {
			this.#starts.push(offset);
			offset += frame.byteLength;
		}

		this.#starts.push(offset);
		this.#joined = Buffer.concat(this.#frames, offset);
	}
}
