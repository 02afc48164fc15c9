import {describe, expect, it} from 'vitest';
import fc from 'fast-check';
import {FrameDecoder, type DecodedItem} from '../../source/protocol/decoder.js';

function decodeAll(chunks: Array<string | Uint8Array>, maxFrameBytes?: number): DecodedItem[] {
	const decoder = new FrameDecoder({maxFrameBytes});
	const items: DecodedItem[] = [];
	for (const chunk of chunks) decoder.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, item => items.push(item));
	return items;
}

function frames(items: DecodedItem[]): unknown[] {
	return items.filter(item => item.type === 'frame').map(item => (item as {frame: unknown}).frame);
}

function kinds(items: DecodedItem[]): string[] {
	return items.map(item => item.type);
}

describe('FrameDecoder', () => {
	it('decodes NDJSON', () => {
		expect(frames(decodeAll(['{"cmd":"a"}\n{"cmd":"b"}\n']))).toEqual([{cmd: 'a'}, {cmd: 'b'}]);
	});

	it('decodes objects back to back with no delimiter, as the 2015 server writes them', () => {
		expect(frames(decodeAll(['{"cmd":"a"}{"cmd":"b"}{"cmd":"c"}']))).toEqual([{cmd: 'a'}, {cmd: 'b'}, {cmd: 'c'}]);
	});

	it('decodes an object spread over several lines', () => {
		const pretty = JSON.stringify({success: true, 'error-msg': '', 'success-msg': 'hi'}, null, '\t');
		expect(frames(decodeAll([pretty + '\n' + pretty]))).toHaveLength(2);
	});

	it('keeps a multi-byte character split across chunks intact', () => {
		const bytes = Buffer.from('{"msg":"héllo 😀 中文"}');
		const oneByteChunks = [...bytes].map(byte => Uint8Array.of(byte));
		expect(frames(decodeAll(oneByteChunks))).toEqual([{msg: 'héllo 😀 中文'}]);
	});

	it('reports junk between frames once per line and keeps the frames around it', () => {
		const items = decodeAll(['{"cmd":"a"}\njunk here\n[1,2]\n"str"\n{"cmd":"b"}\n']);
		expect(kinds(items)).toEqual(['frame', 'malformed', 'malformed', 'malformed', 'frame']);
		expect(items[1]).toMatchObject({reason: expect.stringMatching(/^malformed frame/)});
	});

	it('does not let an unterminated object swallow the frames on the next lines', () => {
		const items = decodeAll(['{"cmd":"a"\n{"cmd":"b"}\n{"cmd":"c", \n{"cmd":"d"}\n']);
		expect(kinds(items)).toEqual(['malformed', 'frame', 'malformed', 'frame']);
		expect(frames(items)).toEqual([{cmd: 'b'}, {cmd: 'd'}]);
	});

	it('ends a bad frame at a raw newline inside a string', () => {
		const items = decodeAll(['{"cmd":"a\n{"cmd":"b"}\n']);
		expect(kinds(items)).toEqual(['malformed', 'frame']);
	});

	it('skips a broken object to its closing brace and decodes what follows on the line', () => {
		const items = decodeAll(['{"cmd" "a", "k":{"}":1}} {"cmd":"next"}\n{"cmd":"b"}\n']);
		expect(kinds(items)).toEqual(['malformed', 'frame', 'frame']);
		expect(frames(items)).toEqual([{cmd: 'next'}, {cmd: 'b'}]);
	});

	it('skips a broken object only to the end of its line when its braces never balance', () => {
		const items = decodeAll(['{"cmd" "a", {"x":1}\n{"cmd":"b"}\n']);
		expect(kinds(items)).toEqual(['malformed', 'frame']);
		expect(frames(items)).toEqual([{cmd: 'b'}]);
	});

	it('keeps the frame after a broken line when its opening brace ends a chunk', () => {
		for (const broken of ['{', '{"cmd"', '{"cmd":"a"', '{"cmd":"a",', '{"cmd":[1']) {
			const items = decodeAll([`${broken}\n{`, '"cmd":"exit"}\n']);
			expect(items).toEqual([{type: 'malformed', problem: 'invalid-json', reason: 'malformed frame: invalid JSON'}, {type: 'frame', frame: {cmd: 'exit'}}]);
		}
	});

	it('rejects invalid UTF-8 in a frame', () => {
		const bad = Buffer.concat([Buffer.from('{"msg":"'), Uint8Array.of(0xff, 0xfe), Buffer.from('"}\n{"ok":1}\n')]);
		expect(kinds(decodeAll([bad]))).toEqual(['malformed', 'frame']);
	});

	it('reports a frame over the limit without buffering it, then resumes', () => {
		const decoder = new FrameDecoder({maxFrameBytes: 100});
		const items: DecodedItem[] = [];
		decoder.push(Buffer.from('{"big":"' + 'x'.repeat(80)), item => items.push(item));
		decoder.push(Buffer.from('x'.repeat(80)), item => items.push(item));
		expect(items).toEqual([{type: 'overflow', limit: 100}]);
		for (let i = 0; i < 100; i++) decoder.push(Buffer.from('x'.repeat(1000)), item => items.push(item));
		expect(decoder.bufferedBytes).toBe(0);
		decoder.push(Buffer.from('"}{"after":1}'), item => items.push(item));
		expect(items).toEqual([{type: 'overflow', limit: 100}, {type: 'frame', frame: {after: 1}}]);
	});

	it('reports an oversize frame that arrives in one chunk', () => {
		const items = decodeAll(['{"big":"' + 'x'.repeat(200) + '"}\n{"a":1}\n'], 100);
		expect(items).toEqual([{type: 'overflow', limit: 100}, {type: 'frame', frame: {a: 1}}]);
	});

	it('accepts deep nesting within the size limit', () => {
		const deep = '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
		expect(kinds(decodeAll([deep]))).toEqual(['frame']);
	});

	it('costs about the same for a 1 MiB frame fed one byte at a time as in one chunk', () => {
		// Not a timing test: it checks the decoder keeps no more than the frame and scans each byte once,
		// by counting the bytes it holds while the frame arrives.
		const text = '{"msg":"' + 'é'.repeat(256 * 1024) + '"}';
		const bytes = Buffer.from(text);
		const decoder = new FrameDecoder({maxFrameBytes: 2 * 1024 * 1024});
		const items: DecodedItem[] = [];
		let held = 0;
		for (let i = 0; i < bytes.length; i += 1) {
			decoder.push(bytes.subarray(i, i + 1), item => items.push(item));
			held = Math.max(held, decoder.bufferedBytes);
		}

		expect(held).toBeLessThanOrEqual(bytes.length);
		expect(frames(items)).toEqual([JSON.parse(text)]);
	});
});

describe('FrameDecoder properties', () => {
	const jsonObject = fc.dictionary(fc.string(), fc.jsonValue({maxDepth: 3}), {maxKeys: 5});
	const separator = fc.constantFrom('', ' ', '\n', '\r\n', '\t', '  \n  ');

	it('decodes any objects, with any separators, cut at any points, to the same objects', () => {
		fc.assert(fc.property(
			fc.array(fc.tuple(jsonObject, separator, fc.boolean()), {minLength: 1, maxLength: 8}),
			fc.array(fc.nat(), {maxLength: 10}),
			(entries, cuts) => {
				const text = entries.map(([object, sep, pretty]) => JSON.stringify(object, null, pretty ? 2 : undefined) + sep).join('');
				const bytes = Buffer.from(text);
				const points = [...new Set(cuts.map(cut => cut % (bytes.length + 1)))].sort((a, b) => a - b);
				const chunks: Uint8Array[] = [];
				let previous = 0;
				for (const point of [...points, bytes.length]) {
					chunks.push(bytes.subarray(previous, point));
					previous = point;
				}

				// JSON.parse(JSON.stringify(x)) is how a receiver sees x (-0 becomes 0, and so on).
				const expected = entries.map(([object]) => JSON.parse(JSON.stringify(object)));
				expect(frames(decodeAll(chunks))).toEqual(expected);
			},
		), {numRuns: 300});
	});

	it('never loses a valid frame that starts on its own line after garbage', () => {
		fc.assert(fc.property(fc.string({unit: 'binary'}), jsonObject, (garbage, object) => {
			const line = JSON.stringify(object);
			const items = decodeAll([garbage.replaceAll('\n', ' ') + '\n' + line + '\n']);
			expect(frames(items).at(-1)).toEqual(JSON.parse(line));
		}), {numRuns: 300});
	});
});

describe('FrameDecoder on objects back to back', () => {
	it('keeps a "}{" inside a string whole', () => {
		const items = decodeAll(['{"msg":"a}{b"}{"msg":"}{"}{"k}{":1}{"last":true}']);
		expect(frames(items)).toEqual([{msg: 'a}{b'}, {msg: '}{'}, {'k}{': 1}, {last: true}]);
	});

	it('still reports junk between back-to-back objects when a string holds "}{"', () => {
		// A `}{` in a string and a junk comma would balance each other in a naive cut-and-count.
		const items = decodeAll(['{"m":"x}{y"}{"a":1},{"b":2}{"c":3}']);
		expect(items.slice(0, 3)).toEqual([
			{type: 'frame', frame: {m: 'x}{y'}},
			{type: 'frame', frame: {a: 1}},
			{type: 'malformed', problem: 'not-an-object', reason: 'malformed frame: expected a JSON object'},
		]);
	});

	it('decodes many small frames with no delimiter, split anywhere', () => {
		const objects = Array.from({length: 500}, (_, index) => ({cmd: 'message', from: `u${index % 7}`, payload: `text ${index} 😀`}));
		const bytes = Buffer.from(objects.map(object => JSON.stringify(object)).join(''));
		for (const size of [1, 7, 1000, 65_536]) {
			const chunks: Buffer[] = [];
			for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
			expect(frames(decodeAll(chunks))).toEqual(objects);
		}
	});

	it('gives the same frames as the scanner for braces in strings, cut anywhere (property)', () => {
		const tricky = fc.array(fc.constantFrom('}{', '},{', '{', '}', '"', '\\', 'x', ' ', '😀'), {maxLength: 6}).map(parts => parts.join(''));
		const object = fc.dictionary(tricky, fc.oneof(tricky, fc.integer(), fc.array(tricky, {maxLength: 2})), {maxKeys: 3});
		fc.assert(fc.property(fc.array(object, {minLength: 1, maxLength: 12}), fc.array(fc.nat(), {maxLength: 6}), (objects, cuts) => {
			const bytes = Buffer.from(objects.map(item => JSON.stringify(item)).join(''));
			const points = [...new Set(cuts.map(cut => cut % (bytes.length + 1)))].sort((a, b) => a - b);
			const chunks: Buffer[] = [];
			let previous = 0;
			for (const point of [...points, bytes.length]) {
				chunks.push(bytes.subarray(previous, point));
				previous = point;
			}

			expect(frames(decodeAll(chunks))).toEqual(objects.map(item => JSON.parse(JSON.stringify(item))));
		}), {numRuns: 500});
	});
});

describe('FrameDecoder against hostile input', () => {
	it('survives a deeply nested frame on every path', () => {
		const deep = '{"cmd":"msg","msg":' + '['.repeat(30_000) + ']'.repeat(30_000) + '}';
		const items = decodeAll([deep + '{"cmd":"a"}{"cmd":"b"}{'], 1024 * 1024);
		expect(frames(items).slice(1)).toEqual([{cmd: 'a'}, {cmd: 'b'}]);
		expect(kinds(decodeAll([deep + '\n{"cmd":"a"}\n'], 1024 * 1024))).toEqual(['frame', 'frame']);
	});

	it('stays linear on a chunk full of bad lines', () => {
		// Counts the work instead of timing it: a fast path retried after every bad line
		// would decode the rest of the chunk into a string each time (quadratic).
		const chunk = Buffer.from('{x}\n'.repeat(16_384));
		let decodes = 0;
		const toString = chunk.toString.bind(chunk);
		chunk.toString = ((...args: Parameters<Buffer['toString']>) => {
			decodes++;
			return toString(...args);
		}) as Buffer['toString'];
		const items = decodeAll([chunk]);
		expect(items).toHaveLength(16_384);
		expect(items.every(item => item.type === 'malformed')).toBe(true);
		expect(decodes).toBeLessThanOrEqual(2);
	});

	it('treats only JSON white space as blank, on the fast path as in the scanner', () => {
		for (const blank of ['\f', '\u00a0', '\ufeff', '\v']) {
			const text = `{"a":1}\n${blank}\n{"b":2}\n`;
			const whole = kinds(decodeAll([text]));
			const byteByByte = kinds(decodeAll([...Buffer.from(text)].map(byte => Uint8Array.of(byte))));
			expect(whole).toEqual(byteByByte);
			expect(whole).toEqual(['frame', 'malformed', 'frame']);
		}
	});

	it('does not let a backslash at the end of a line swallow the next line', () => {
		for (const text of ['{"a":"\\\n{"b":1}\n', '{"a":"x\\\n{"b":1}\n']) {
			expect(frames(decodeAll([text]))).toEqual([{b: 1}]);
			expect(frames(decodeAll([...Buffer.from(text)].map(byte => Uint8Array.of(byte))))).toEqual([{b: 1}]);
		}
	});
});

describe('FrameDecoder resynchronising with no newlines', () => {
	const good = ['{"cmd":"a"}', '{"cmd":"b"}', '{"cmd":"c"}'];
	const badFrames: Record<string, Buffer> = {
		'a raw control byte in a string': Buffer.from('{"msg":"x\u0001y}{"}'),
		'a raw escape sequence in a string': Buffer.from('{"msg":"\u001b[2J{"}'),
		'invalid UTF-8 in a string': Buffer.concat([Buffer.from('{"msg":"x'), Uint8Array.of(0xc3, 0x28), Buffer.from('"}')]),
		'a syntax error': Buffer.from('{"msg" "x", "k":"}"}'),
	};

	for (const [what, bad] of Object.entries(badFrames)) {
		it(`reads an object with ${what} to its closing brace, reports it, and decodes the frames after it`, () => {
			const bytes = Buffer.concat([Buffer.from(good[0]), bad, Buffer.from(good.slice(1).join(''))]);
			const whole = decodeAll([bytes]);
			expect(kinds(whole)).toEqual(['frame', 'malformed', 'frame', 'frame']);
			expect(frames(whole)).toEqual([{cmd: 'a'}, {cmd: 'b'}, {cmd: 'c'}]);
			expect(decodeAll([...bytes].map(byte => Uint8Array.of(byte)))).toEqual(whole);
		});
	}

	it('still ends a string at a raw newline, so the next line is a fresh start', () => {
		const items = decodeAll(['{"cmd":"a}{\n{"cmd":"b"}{"cmd":"c"}']);
		expect(kinds(items)).toEqual(['malformed', 'frame', 'frame']);
	});
});

describe('FrameDecoder back-to-back shortcut', () => {
	it('agrees with the scanner when a bad frame and junk between frames would cancel out', () => {
		const text = '{"a":[{}{}]}{"x":1},{"y":2}{"z":3}';
		const whole = decodeAll([text]);
		const byteByByte = decodeAll([...Buffer.from(text)].map(byte => Uint8Array.of(byte)));
		expect(whole).toEqual(byteByByte);
		expect(kinds(whole)[0]).toBe('malformed');
	});
});

describe('FrameDecoder does not depend on how the bytes are cut', () => {
	const text = (value: string) => Buffer.from(value);
	const plainObject = fc.dictionary(fc.string({maxLength: 6}), fc.jsonValue({maxDepth: 2}), {maxKeys: 3});
	const piece = fc.oneof(
		plainObject.map(object => text(JSON.stringify(object))),
		plainObject.map(object => text(JSON.stringify(object, null, 2))),
		// A broken line: an object cut short, then the end of the line.
		fc.tuple(plainObject, fc.nat()).map(([object, cut]) => {
			const line = JSON.stringify(object);
			return text(line.slice(0, cut % line.length) + '\n');
		}),
		// Junk, made of the bytes that steer a JSON scanner.
		fc.array(fc.constantFrom('{', '}', '[', ']', '"', '\\', ':', ',', 'x', '1', ' ', '\n', '}{'), {maxLength: 8}).map(parts => text(parts.join(''))),
		// A string holding a raw control byte, or bytes that are not UTF-8.
		fc.integer({min: 0, max: 0x1f}).map(byte => Buffer.concat([text('{"msg":"a'), Uint8Array.of(byte), text('b","n":1}')])),
		fc.constantFrom(Uint8Array.of(0xff), Uint8Array.of(0xc3), Uint8Array.of(0xe2, 0x82), Uint8Array.of(0xed, 0xa0, 0x80))
			.map(bytes => Buffer.concat([text('{"msg":"a'), bytes, text('b"}')])),
	);
	const separator = fc.constantFrom('', '', ' ', '\n', '\r\n', '\t', ' \n ').map(text);
	const stream = fc.array(fc.tuple(piece, separator), {minLength: 1, maxLength: 10})
		.map(entries => Buffer.concat(entries.flatMap(entry => entry)));

	function cutAt(bytes: Buffer, cuts: number[]): Buffer[] {
		const points = [...new Set(cuts.map(cut => cut % (bytes.length + 1)))].sort((a, b) => a - b);
		const chunks: Buffer[] = [];
		let previous = 0;
		for (const point of [...points, bytes.length]) {
			chunks.push(bytes.subarray(previous, point));
			previous = point;
		}

		return chunks;
	}

	it('gives the same items whole, one byte at a time and in random chunks (property)', () => {
		fc.assert(fc.property(stream, fc.array(fc.nat(), {maxLength: 12}), fc.constantFrom(undefined, 40), (bytes, cuts, maxFrameBytes) => {
			const whole = decodeAll([bytes], maxFrameBytes);
			expect(decodeAll([...bytes].map(byte => Uint8Array.of(byte)), maxFrameBytes)).toEqual(whole);
			expect(decodeAll(cutAt(bytes, cuts), maxFrameBytes)).toEqual(whole);
		}), {numRuns: 2000});
	});
});
