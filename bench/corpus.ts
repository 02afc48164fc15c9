// A corpus of chat traffic as a server sends it: mostly messages, with
// joins, leaves, renames and statuses, some non-ASCII text. Seeded, so every
// run measures the same bytes.
import type {ServerFrame} from '../source/protocol/types.js';

function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		// Mulberry32: small and good enough to pick words.
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const words = ['deploy', 'done', 'the', 'build', 'is', 'green', 'lunch?', 'ok', 'merged', 'PR', '#42', 'rebase', 'café', '日本語', 'ok👍', 'later', 'standup', 'in', '5', 'min'];
const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];

export function chatFrames(count: number, seed = 42): ServerFrame[] {
	const random = seededRandom(seed);
	const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
	const frames: ServerFrame[] = [];
	for (let i = 0; i < count; i++) {
		const roll = random();
		if (roll < 0.85) {
			const length = 3 + Math.floor(random() * 20);
			const text = Array.from({length}, () => pick(words)).join(' ');
			frames.push({cmd: 'message', user: pick(users), msg: text});
		} else if (roll < 0.9) {
			frames.push({cmd: 'client-enter', user: pick(users)});
		} else if (roll < 0.95) {
			frames.push({cmd: 'client-exit', user: pick(users)});
		} else {
			frames.push({success: true, 'error-msg': '', 'success-msg': ''});
		}
	}

	return frames;
}

/** Cuts bytes into chunks of the size TCP tends to deliver. */
export function chunked(bytes: Buffer, size = 64 * 1024): Buffer[] {
	const chunks: Buffer[] = [];
	for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
	return chunks;
}
