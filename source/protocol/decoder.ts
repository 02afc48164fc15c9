// The streaming frame decoder (PROTOCOL.md §1).
//
// Written by hand, because no JSON stream library does all of what the wire
// asks for at once: objects back to back with no delimiter (the 2015 server),
// objects spanning lines, a size limit enforced before buffering, early
// syntax errors, bad objects skipped to their own closing brace or the end of
// their line (so a stream with no newlines resynchronises), and UTF-8 decoded
// only once a frame is complete. It frames on bytes and keeps per-frame scan
// state between chunks, so no byte is scanned twice, and the items are the
// same however the input is cut.
//
// Three paths give the same answers:
// - NDJSON: when a frame starts a line and the chunk holds complete lines,
//   they are decoded as one string and JSON.parse (native) tries each line
//   as one object;
// - back to back: the chunk is cut at each `}{` and parsed as one JSON array,
//   kept only when the cuts provably were the seams between frames;
// - the scanner, for everything else: a small JSON grammar automaton over
//   bytes. It finds where an object ends and notices a syntax error at the
//   first byte that cannot belong. JSON.parse has the last word on the frame.
// The fast paths only start between frames; when they decline, the scanner
// reads the same bytes once more (bad input only, or a `}{` in a string).
import {isUtf8} from 'node:buffer';

export type DecodedItem =
	| {type: 'frame'; frame: Record<string, unknown>}
	/** `problem` is for code to decide on; `reason` is the human text. */
	| {type: 'malformed'; problem: MalformedProblem; reason: string}
	| {type: 'overflow'; limit: number};

/** What was wrong with a bad frame: text outside any object (raw text, an array, a bare value), or a broken object. */
export type MalformedProblem = 'not-an-object' | 'invalid-json' | 'invalid-utf8';

export type DecoderOptions = {
	/** Largest frame accepted, in bytes. A larger one is reported as 'overflow' and skipped. */
	maxFrameBytes?: number;
};

// Modes between chunks.
const BETWEEN = 0; // Outside any frame.
const SKIP_LINE = 1; // Junk outside objects was reported: discard up to the next newline.
const SKIP_OBJECT = 2; // A broken object was reported: discard to its closing brace or the line's end.
const IN_FRAME = 3; // Inside an object.

// What the grammar expects next, inside a frame.
const VALUE = 0;
const VALUE_OR_END = 1; // Just after '['.
const KEY_OR_END = 2; // Just after '{'.
const KEY = 3; // After ',' in an object.
const COLON = 4;
const COMMA_OR_END = 5;
const STRING = 6;
const BARE = 7; // Inside a number or true/false/null.

const OBJECT = 0;
const ARRAY = 1;

const newline = 0x0a;
const jsonBlank = /^[ \t\r]*$/;
/** Where two frames meet with no delimiter. */
const frameSeam = Buffer.from('}{');
const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const quote = 0x22;
const backslash = 0x5c;
const comma = 0x2c;
const colon = 0x3a;

/**
 * Bytes that end the plain run of a string: '"', '\\' and a newline, where a
 * broken line ends. Other control characters are read on as part of the
 * string, so a frame holding one still ends at its own closing brace;
 * JSON.parse then refuses it.
 */
const stringSpecial = new Uint8Array(256);
stringSpecial[newline] = 1;
stringSpecial[quote] = 1;
stringSpecial[backslash] = 1;

function isWhitespace(byte: number): boolean {
	return byte === 0x20 || byte === newline || byte === 0x0d || byte === 0x09;
}

/** Characters of numbers and of true/false/null; JSON.parse checks the details. */
function isBareChar(byte: number): boolean {
	return (byte >= 0x30 && byte <= 0x39) // 0-9
		|| (byte >= 0x61 && byte <= 0x7a) // a-z
		|| (byte >= 0x41 && byte <= 0x5a) // A-Z
		|| byte === 0x2e || byte === 0x2b || byte === 0x2d; // . + -
}

const malformedReasons: Record<MalformedProblem, string> = {
	'not-an-object': 'expected a JSON object',
	'invalid-json': 'invalid JSON',
	'invalid-utf8': 'invalid UTF-8',
};

function malformed(problem: MalformedProblem): DecodedItem {
	return {type: 'malformed', problem, reason: `malformed frame: ${malformedReasons[problem]}`};
}

export class FrameDecoder {
	readonly maxFrameBytes: number;

	private mode = BETWEEN;
	// Scan state of the frame in progress; kept between chunks.
	private expect = VALUE;
	private stringIsKey = false;
	private escaped = false;
	private depth = 0;
	private stack = new Uint8Array(64);
	/** A newline was crossed since the last token: a '{' that breaks the grammar then starts a new frame. */
	private sawNewline = false;
	/** Over the limit: the rest of this frame is scanned for its end but not kept. */
	private discarding = false;
	// Where SKIP_OBJECT is in the broken object: only braces and strings count.
	private skipBraces = 0;
	private skipInString = false;
	private skipEscaped = false;
	/** Bytes of the frame in progress from earlier chunks. */
	private parts: Uint8Array[] = [];
	private partsBytes = 0;
	/** Frames found whole in the current chunk, decoded together at its end. */
	private readonly batch = new FrameSpans();

	constructor(options: DecoderOptions = {}) {
		const {maxFrameBytes = 1024 * 1024} = options;
		if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 2) {
			throw new RangeError(`maxFrameBytes must be an integer of at least 2, not ${maxFrameBytes}`);
		}

		this.maxFrameBytes = maxFrameBytes;
	}

	/** Bytes held for a frame that is not complete yet. */
	get bufferedBytes(): number {
		return this.partsBytes;
	}

	push(chunk: Uint8Array, onItem: (item: DecodedItem) => void): void {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		const end = buffer.length;
		let i = 0;
		/** Where the frame in progress starts in this chunk: 0 when it began in an earlier one. */
		let frameStart = 0;
		let fastPaths = true;
		while (i < end) {
			if (this.mode === BETWEEN) {
				let byte = buffer[i];
				while (isWhitespace(byte)) {
					if (++i === end) break;
					byte = buffer[i];
				}

				if (i === end) break;
				if (byte !== openBrace) {
					this.flushBatch(buffer, onItem);
					onItem(malformed('not-an-object'));
					this.mode = SKIP_LINE;
					continue;
				}

				// Once a fast path has declined in this chunk, the scanner reads the rest:
				// retrying after every bad line would read the chunk again each time.
				if (fastPaths && this.batch.count === 0) {
					let after = this.parseLines(buffer, i, onItem);
					if (after === i) after = this.parseBackToBack(buffer, i, onItem);
					if (after !== i) {
						i = after;
						continue;
					}

					fastPaths = false;
				}

				frameStart = i;
				this.beginFrame();
				i++;
				continue;
			}

			if (this.mode === SKIP_LINE) {
				const lineEnd = buffer.indexOf(newline, i);
				if (lineEnd === -1) break;
				i = lineEnd + 1;
				this.mode = BETWEEN;
				continue;
			}

			if (this.mode === SKIP_OBJECT) {
				i = this.skipObject(buffer, i, end);
				continue;
			}

			const stop = this.scan(buffer, i, end);
			if (stop === -1) break;
			if (stop >= 0) {
				if (this.partsBytes === 0 && !this.discarding && stop + 1 - frameStart <= this.maxFrameBytes) {
					this.mode = BETWEEN;
					this.batch.add(frameStart, stop + 1);
				} else {
					this.flushBatch(buffer, onItem);
					this.finishFrame(buffer.subarray(frameStart, stop + 1), onItem);
				}

				i = stop + 1;
				continue;
			}

			// A syntax error at index -(stop + 2).
			i = -(stop + 2);
			this.flushBatch(buffer, onItem);
			this.failFrame(this.partsBytes + i - frameStart, onItem);
			const byte = buffer[i];
			if (byte === openBrace && this.sawNewline) {
				// An unfinished object, and a new line starts with '{': that is the next frame.
				frameStart = i;
				this.beginFrame();
				i++;
			} else if (byte === newline) {
				this.mode = BETWEEN; // A raw newline in a string: the line broke there.
				i++;
			} else {
				this.beginSkipObject(); // The offending byte is read as part of the broken object.
			}
		}

		this.flushBatch(buffer, onItem);
		// The chunk ended inside a frame: keep its bytes unless over the limit.
		if (this.mode === IN_FRAME) this.keepPartial(buffer.subarray(frameStart, end), onItem);
	}

	/**
	 * The fast path for NDJSON: decodes the complete lines from `start` as one
	 * string (a newline byte never sits inside a UTF-8 sequence), and parses
	 * each line as one object while that works. Returns where it stopped; the
	 * scanner takes over from there (a pretty-printed object, objects back to
	 * back, a bad line).
	 */
	private parseLines(buffer: Buffer, start: number, onItem: (item: DecodedItem) => void): number {
		const lastNewline = buffer.lastIndexOf(newline);
		if (lastNewline < start || !isUtf8(buffer.subarray(start, lastNewline))) return start;
		const text = buffer.toString('utf8', start, lastNewline + 1);
		// A UTF-16 unit is at most 3 UTF-8 bytes: only long lines need their bytes counted.
		const shortLine = Math.floor(this.maxFrameBytes / 3);
		let lineStart = 0;
		while (lineStart < text.length) {
			const lineEnd = text.indexOf('\n', lineStart);
			const line = text.slice(lineStart, lineEnd);
			let frame: unknown;
			try {
				frame = line.length > shortLine && Buffer.byteLength(line) > this.maxFrameBytes ? undefined : JSON.parse(line);
			} catch {
				frame = undefined;
			}

			if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
				// Only JSON white space is skipped, as the scanner does (trim() knows more).
				if (!jsonBlank.test(line)) break;
			} else {
				onItem({type: 'frame', frame: frame as Record<string, unknown>});
			}

			lineStart = lineEnd + 1;
		}

		return lineStart === text.length ? lastNewline + 1 : start + Buffer.byteLength(text.slice(0, lineStart));
	}

	/**
	 * The fast path for objects back to back, as the 2015 server writes them:
	 * outside strings, `}{` can only be the seam between two frames, so the
	 * chunk is cut at each `}{` (native search) and the pieces are parsed as
	 * one JSON array. A `}{` inside a string merges two pieces into one
	 * element, so the element count tells whether every cut was a seam; if
	 * not, or if anything fails, the scanner takes the chunk from `start`.
	 * The last frame of the chunk, maybe incomplete, is always the scanner's.
	 */
	private parseBackToBack(buffer: Buffer, start: number, onItem: (item: DecodedItem) => void): number {
		const spans = this.batch;
		let pieceStart = start;
		for (let seam = buffer.indexOf(frameSeam, start); seam !== -1; seam = buffer.indexOf(frameSeam, pieceStart)) {
			if (seam + 1 - pieceStart > this.maxFrameBytes) break;
			spans.add(pieceStart, seam + 1);
			pieceStart = seam + 1;
		}

		const frames = spans.count > 1 ? parseBatch(buffer, spans, spans.count - 1) : undefined;
		const pieces = spans.count;
		spans.count = 0;
		// A cut that was not a seam (a `}{` inside a string, say) merges two pieces into one
		// element. Nothing can split one: parseBatch has checked that every `}` + `,` of the
		// text is one of ours, and an element can only end before such a pair. So a matching
		// count proves every cut a seam.
		if (!frames || frames.length !== pieces) return start;
		for (const frame of frames) onItem({type: 'frame', frame});
		return pieceStart;
	}

	/**
	 * Decodes the frames the scanner found whole inside this chunk. Many
	 * small frames back to back cost far less as one JSON array: one copy,
	 * one UTF-8 check, one string, one JSON.parse.
	 */
	private flushBatch(buffer: Buffer, onItem: (item: DecodedItem) => void): void {
		const {batch} = this;
		if (batch.count === 0) return;
		if (batch.count > 1) {
			const frames = parseBatch(buffer, batch);
			if (frames) {
				batch.count = 0;
				for (const frame of frames) onItem({type: 'frame', frame});
				return;
			}
		}

		// One frame, or a batch holding a bad frame: decode each on its own.
		for (let k = 0; k < batch.count; k++) onItem(decodeFrame(buffer.subarray(batch.starts[k], batch.ends[k])));
		batch.count = 0;
	}

	private beginFrame(): void {
		this.mode = IN_FRAME;
		this.depth = 1;
		this.stack[0] = OBJECT;
		this.expect = KEY_OR_END;
		this.escaped = false;
		this.sawNewline = false;
		this.discarding = false;
		this.parts = [];
		this.partsBytes = 0;
	}

	/**
	 * Reports the frame in progress as bad, found so at byte `offset` of the
	 * frame. A frame that had already grown past the limit there is reported
	 * as an overflow: where the input was cut must not change the answer.
	 */
	private failFrame(offset: number, onItem: (item: DecodedItem) => void): void {
		if (!this.discarding) onItem(offset >= this.maxFrameBytes ? {type: 'overflow', limit: this.maxFrameBytes} : malformed('invalid-json'));
		this.parts = [];
		this.partsBytes = 0;
		this.discarding = false;
		this.mode = BETWEEN;
	}

	/** Starts skipping the broken object the scanner was in, with its open braces. */
	private beginSkipObject(): void {
		let braces = 0;
		for (let level = 0; level < this.depth; level++) if (this.stack[level] === OBJECT) braces++;
		this.mode = SKIP_OBJECT;
		this.skipBraces = braces;
		this.skipInString = false;
		this.skipEscaped = false;
	}

	/**
	 * Discards the rest of a broken object, up to the brace that closes it
	 * (braces inside strings do not count) or the end of the line, whichever
	 * comes first, so a stream with no newlines resynchronises too. Returns
	 * where it stopped.
	 */
	private skipObject(buffer: Buffer, start: number, end: number): number {
		let braces = this.skipBraces;
		let inString = this.skipInString;
		let escaped = this.skipEscaped;
		for (let i = start; i < end; i++) {
			const byte = buffer[i];
			if (byte === newline || (byte === closeBrace && !inString && --braces === 0)) {
				this.mode = BETWEEN;
				return i + 1;
			}

			if (escaped) {
				escaped = false;
			} else if (inString) {
				if (byte === backslash) escaped = true;
				else if (byte === quote) inString = false;
			} else if (byte === quote) {
				inString = true;
			} else if (byte === openBrace) {
				braces++;
			}
		}

		this.skipBraces = braces;
		this.skipInString = inString;
		this.skipEscaped = escaped;
		return end;
	}

	private keepPartial(part: Uint8Array, onItem: (item: DecodedItem) => void): void {
		if (this.discarding) return;
		if (this.partsBytes + part.length > this.maxFrameBytes) {
			onItem({type: 'overflow', limit: this.maxFrameBytes});
			this.discarding = true;
			this.parts = [];
			this.partsBytes = 0;
			return;
		}

		this.parts.push(part);
		this.partsBytes += part.length;
	}

	private finishFrame(last: Uint8Array, onItem: (item: DecodedItem) => void): void {
		const wasDiscarding = this.discarding;
		const size = this.partsBytes + last.length;
		const parts = this.parts;
		this.mode = BETWEEN;
		this.parts = [];
		this.partsBytes = 0;
		this.discarding = false;
		if (wasDiscarding) return;
		if (size > this.maxFrameBytes) {
			onItem({type: 'overflow', limit: this.maxFrameBytes});
			return;
		}

		const bytes = parts.length === 0 ? last : Buffer.concat([...parts, last], size);
		onItem(decodeFrame(bytes));
	}

	/**
	 * Runs the grammar automaton from `start`. Returns the index of the '}'
	 * that closes the frame, -1 when the chunk ends first, or -(index + 2) of
	 * the byte where a syntax error is found.
	 */
	private scan(buffer: Uint8Array, start: number, end: number): number {
		let {expect, depth, sawNewline} = this;
		let i = start;
		if (this.escaped) {
			// A backslash ended the previous chunk: this byte is escaped. A newline
			// there still ends the line, as it does anywhere in a string.
			this.escaped = false;
			if (buffer[i] === newline) return -(i + 2);
			i++;
		}

		let result = -1;
		while (i < end) {
			let byte = buffer[i];
			if (expect === STRING) {
				// The hot loop: most bytes of a chat frame are inside strings.
				for (;;) {
					while (i < end && stringSpecial[buffer[i]] === 0) i++;
					if (i >= end) break;
					byte = buffer[i];
					if (byte === quote) break;
					if (byte === backslash) {
						if (i + 1 < end && buffer[i + 1] === newline) {
							result = -(i + 3); // `\` then a newline: the string broke at the line end.
							break;
						}

						i += 2;
					} else {
						result = -(i + 2); // A raw newline: the line broke inside the string.
						break;
					}
				}

				if (result !== -1) break;
				if (i >= end) {
					this.escaped = i > end;
					i = end;
					break;
				}

				// Compact JSON goes `"key":"value","key":…`: take `":"` and `","` in one step,
				// straight into the next string, which is most of the structure of a chat frame.
				i++;
				if (i + 1 < end && buffer[i + 1] === quote) {
					const next = buffer[i];
					if (this.stringIsKey ? next === colon : next === comma && this.stack[depth - 1] === OBJECT) {
						this.stringIsKey = !this.stringIsKey;
						i += 2;
						sawNewline = false;
						continue;
					}
				}

				expect = this.stringIsKey ? COLON : COMMA_OR_END;
				continue;
			}

			if (expect === BARE) {
				if (isBareChar(byte)) {
					i++;
					continue;
				}

				expect = COMMA_OR_END;
			}

			if (byte === 0x20 || byte === newline || byte === 0x0d || byte === 0x09) {
				if (byte === newline) sawNewline = true;
				i++;
				continue;
			}

			if (expect === COMMA_OR_END) {
				const container = this.stack[depth - 1];
				if (byte === comma) {
					expect = container === OBJECT ? KEY : VALUE;
				} else if ((byte === closeBrace && container === OBJECT) || (byte === closeBracket && container === ARRAY)) {
					if (--depth === 0) {
						result = i;
						break;
					}
				} else {
					result = -(i + 2);
					break;
				}
			} else if (expect === COLON) {
				if (byte !== colon) {
					result = -(i + 2);
					break;
				}

				expect = VALUE;
			} else if (expect === KEY_OR_END || expect === KEY) {
				if (byte === quote) {
					expect = STRING;
					this.stringIsKey = true;
				} else if (byte === closeBrace && expect === KEY_OR_END) {
					if (--depth === 0) {
						result = i;
						break;
					}

					expect = COMMA_OR_END;
				} else {
					result = -(i + 2);
					break;
				}
			} else if (byte === quote) {
				// VALUE or VALUE_OR_END from here on.
				expect = STRING;
				this.stringIsKey = false;
			} else if (byte === openBrace || byte === openBracket) {
				if (depth === this.stack.length) this.growStack();
				this.stack[depth++] = byte === openBrace ? OBJECT : ARRAY;
				expect = byte === openBrace ? KEY_OR_END : VALUE_OR_END;
			} else if (byte === closeBracket && expect === VALUE_OR_END) {
				depth--;
				expect = COMMA_OR_END;
			} else if (isBareChar(byte)) {
				expect = BARE;
			} else {
				result = -(i + 2);
				break;
			}

			sawNewline = false;
			i++;
		}

		this.expect = expect;
		this.depth = depth;
		this.sawNewline = sawNewline;
		return result;
	}

	private growStack(): void {
		const bigger = new Uint8Array(this.stack.length * 2);
		bigger.set(this.stack);
		this.stack = bigger;
	}
}

/** Start and end offsets of frames in one chunk; reused, so scanning allocates nothing per frame. */
class FrameSpans {
	starts: number[] = [];
	ends: number[] = [];
	count = 0;

	add(start: number, end: number): void {
		this.starts[this.count] = start;
		this.ends[this.count] = end;
		this.count++;
	}
}

/** Counts `}` followed (after JSON white space) by `,`. */
function countCommasAfterBraces(text: string): number {
	let count = 0;
	for (let brace = text.indexOf('}'); brace !== -1; brace = text.indexOf('}', brace + 1)) {
		let next = brace + 1;
		while (next < text.length && (text[next] === ' ' || text[next] === '\n' || text[next] === '\r' || text[next] === '\t')) next++;
		if (text[next] === ',') count++;
	}

	return count;
}

/** Reused between chunks: joining a batch allocates nothing once it has grown. */
let scratch = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * Parses the spans as one JSON array. With `seams`, the joined text must hold
 * exactly that many `}` + `,` pairs (ours): one more means junk such as `},{`
 * between frames, which the scanner must see and report.
 */
function parseBatch(buffer: Buffer, spans: FrameSpans, seams?: number): Array<Record<string, unknown>> | undefined {
	let size = spans.count + 1;
	for (let k = 0; k < spans.count; k++) size += spans.ends[k] - spans.starts[k];
	if (size > scratch.length) scratch = Buffer.allocUnsafeSlow(Math.max(size, scratch.length * 2));
	const joined = scratch;
	let at = 0;
	for (let k = 0; k < spans.count; k++) {
		joined[at++] = k === 0 ? openBracket : comma;
		at += buffer.copy(joined, at, spans.starts[k], spans.ends[k]);
	}

	joined[at++] = closeBracket;
	const text = joined.toString('utf8', 0, at);
	if (text.includes('\uFFFD') && !isUtf8(joined.subarray(0, at))) return undefined;
	if (seams !== undefined && countCommasAfterBraces(text) !== seams) return undefined;
	try {
		return JSON.parse(text) as Array<Record<string, unknown>>;
	} catch {
		return undefined;
	}
}

function decodeFrame(bytes: Uint8Array): DecodedItem {
	const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const text = buffer.toString('utf8');
	if (text.includes('\uFFFD') && !isUtf8(buffer)) return malformed('invalid-utf8');
	try {
		return {type: 'frame', frame: JSON.parse(text) as Record<string, unknown>};
	} catch {
		return malformed('invalid-json');
	}
}
