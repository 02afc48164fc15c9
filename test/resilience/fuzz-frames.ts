// A seeded generator of hostile client frames for the server fuzz tests.
// Every generated line is exactly one frame to the decoder (one status from
// the server), so the tests can match statuses to lines one to one: broken
// objects break *within* their line (an unterminated one would legitimately
// swallow the next line as its continuation), and junk never starts with '{'.
// `mustFail` marks the lines whose status has to be a failure.

export type FuzzLine = {
	/** The bytes of the line, newline included. */
	bytes: Buffer;
	/** Which generator made it, for failure messages and the report. */
	kind: string;
	/** True when no server may answer this line with success. */
	mustFail: boolean;
	/** A well-formed `msg` command: on success it is broadcast to the others. */
	isMessage: boolean;
};

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

/** Short texts with the characters that trip encoders: quotes, escapes, emoji, controls, surrogates. */
function text(random: Random): string {
	const pieces = ['hi', 'a"b', 'back\\slash', '😀', '漢字', '\u001B[2J', '\u202E', '\n', '\t', ' ', 'x'.repeat(int(random, 1, 80)), '\u0000', 'é'];
	let out = '';
	const count = int(random, 1, 6);
	for (let k = 0; k < count; k++) out += pick(random, pieces);
	return out;
}

function name(random: Random): string {
	return pick(random, ['f' + int(random, 0, 40), 'F' + int(random, 0, 40), 'sender', 'observer', '', 'bad name', 'x'.repeat(40), '\u0430lice', 'ok.name_-1']);
}

const line = (body: string | Buffer, kind: string, mustFail: boolean, isMessage = false): FuzzLine => ({
	bytes: Buffer.concat([typeof body === 'string' ? Buffer.from(body) : body, Buffer.from('\n')]),
	kind,
	mustFail,
	isMessage,
});

const json = (value: unknown) => JSON.stringify(value);

/** Generators, each returning one line; weights favour the hostile ones. */
const generators: Array<[number, (random: Random) => FuzzLine]> = [
	// Valid commands, in any order and state (not `exit`, which would end the connection).
	[10, random => line(json({cmd: 'msg', msg: text(random)}), 'valid msg', false, true)],
	[3, random => line(json({cmd: 'connect', username: name(random)}), 'valid connect', false)],
	[2, random => line(json({cmd: 'rename', oldname: name(random), newname: name(random)}), 'valid rename', false)],
	[2, () => line(json({cmd: 'get-clients'}), 'valid get-clients', false)],
	// Valid JSON, not a command.
	[4, random => line(json({cmd: pick(random, ['nope', 'MSG', 'Connect', '__proto__', 'constructor', 'toString', '', 'return-status', 'x'.repeat(200)])}), 'unknown command', true)],
	[2, () => line('{}', 'missing cmd', true)],
	[4, random => line(json(pick(random, [
		{cmd: 42}, {cmd: null}, {cmd: ['msg']}, {cmd: {msg: 'x'}}, {cmd: true},
		{cmd: 'msg', msg: 7}, {cmd: 'msg', msg: null}, {cmd: 'msg', msg: ['a']}, {cmd: 'msg'},
		{cmd: 'connect'}, {cmd: 'connect', username: 12}, {cmd: 'connect', username: ['a']},
		{cmd: 'rename', oldname: 'a'}, {cmd: 'rename', oldname: 1, newname: 2},
		{cmd: 'exit', msg: 5},
	])), 'wrong types', true)],
	[3, random => line(pick(random, [
		'{"cmd":"msg","msg":1e400}', '{"cmd":123456789012345678901234567890}', '{"cmd":"msg","msg":-0}',
		'{"cmd":"connect","username":1e-400}', '{"cmd":"msg","msg":123456789012345678901234567890e300}', '{"cmd":NaN}', '{"cmd":Infinity}',
	]), 'huge numbers', true)],
	[2, random => {
		const depth = int(random, 50, 3000);
		return line(`{"cmd":"msg","msg":${'['.repeat(depth)}${']'.repeat(depth)}}`, 'deep nesting', true);
	}],
	[1, random => {
		// Deep and broken inside its line: a '}' where an array must close.
		const depth = int(random, 50, 3000);
		return line(`{"a":${'['.repeat(depth)}}`, 'deep nesting, broken', true);
	}],
	[1, random => {
		const depth = int(random, 20, 500);
		return line(`{"cmd":"msg","x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`, 'deep objects', true);
	}],
	// Lone surrogates are valid JSON escapes; a message made of them is still a message.
	[2, random => line(`{"cmd":"msg","msg":"${pick(random, ['\\ud800', '\\udfff', 'a\\ud83d', '\\ude00b', '\\udbff\\udbff'])}"}`, 'lone surrogates', false, true)],
	[1, random => line(`{"cmd":"${pick(random, ['\\ud800', 'msg\\udfff'])}"}`, 'lone surrogate command', true)],
	// Invalid UTF-8 inside an otherwise valid frame.
	[3, random => line(Buffer.concat([
		Buffer.from('{"cmd":"msg","msg":"'),
		Buffer.from(pick(random, [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80, 0x80], [0xf4, 0x90, 0x80, 0x80]])),
		Buffer.from('"}'),
	]), 'invalid UTF-8', true)],
	// Not JSON at all, or JSON that is not an object.
	[4, random => line(pick(random, ['[1,2,3]', '"just a string"', '42', 'null', 'true', 'hello world', '}{', '}', ']', '<html>', 'GET / HTTP/1.1', '\u0000\u0000', '\'single\'']), 'not an object', true)],
	// Objects broken within their line.
	[5, random => line(pick(random, [
		'{"cmd":"msg",}', '{"cmd" "msg"}', '{cmd:"msg"}', '{"cmd":\'msg\'}', '{"a":1,]}', '{"cmd":"msg","msg":"x"]',
		'{"cmd":tru}', '{"cmd":"msg","msg":"x",,}', '{,}', '{"cmd":"msg" , "msg" : "x" : "y"}', '{"\\x":1}', '{"cmd":"\\u12"}',
		'{"cmd":undefined}', '{"a":[1,2}', '{"cmd":"msg","msg":"tab\there"}',
	]), 'broken object', true)],
	// Unterminated strings end at the newline, which JSON forbids inside a string.
	[2, random => line(`{"cmd":"msg","msg":"${'unterminated '.repeat(int(random, 0, 5))}`, 'unterminated string', true)],
	// Random bytes: never a newline, never starting with '{' or white space.
	[5, random => {
		const length = int(random, 1, 300);
		const bytes = Buffer.alloc(length);
		for (let k = 0; k < length; k++) {
			let byte = int(random, 0, 255);
			while (byte === 0x0a) byte = int(random, 0, 255);
			bytes[k] = byte;
		}

		while (bytes[0] === 0x7b || bytes[0] === 0x20 || bytes[0] === 0x09 || bytes[0] === 0x0d) bytes[0] = int(random, 0x21, 0x7a);
		return line(bytes, 'random bytes', true);
	}],
];

const totalWeight = generators.reduce((sum, [weight]) => sum + weight, 0);

/** One generated line. */
export function fuzzLine(random: Random): FuzzLine {
	let roll = random() * totalWeight;
	for (const [weight, generate] of generators) {
		roll -= weight;
		if (roll < 0) return generate(random);
	}

	return generators[0]![1](random);
}

/** Cuts `bytes` into chunks of random sizes (1 byte to 64 KiB), so frames and UTF-8 sequences split anywhere. */
export function randomChunks(bytes: Buffer, random: Random): Buffer[] {
	const chunks: Buffer[] = [];
	let at = 0;
	while (at < bytes.length) {
		const size = random() < 0.1 ? int(random, 1, 16) : int(random, 256, 64 * 1024);
		chunks.push(bytes.subarray(at, at + size));
		at += size;
	}

	return chunks;
}
