// The server's pure parts, without sockets: options, the token bucket, the
// in-process hub, log lines, negotiation.
import {describe, expect, it} from 'vitest';
import {parseCommand} from '../../source/protocol/commands.js';
import {oneLineReason} from '../../source/protocol/reason.js';
import {LOBBY} from '../../source/server/hub.js';
import {LocalHub} from '../../source/server/local-hub.js';
import {createServerLog, logSafe} from '../../source/server/log.js';
import {DEFAULT_SERVER_OPTIONS, resolveOptions, ServerOptionsError} from '../../source/server/options.js';
import {createRateLimiter} from '../../source/server/rate-limit.js';

describe('resolveOptions', () => {
	it('fills in the documented defaults', () => {
		const options = resolveOptions();
		expect(options).toMatchObject({
			port: 8080,
			host: '127.0.0.1',
			// Raised from 64 KiB so a 48 KiB shared file fits with every byte escaped.
			maxFrameBytes: 6 * 48 * 1024 + 1024,
			fileBytes: 48 * 1024,
			rate: 10,
			burst: 20,
			maxQueuedCommands: 50,
			partialFrameTimeoutMs: 30_000,
			maxSendQueueBytes: 1024 * 1024,
			handshakeTimeoutMs: 10_000,
			idleTimeoutMs: 0,
			quiet: false,
		});
	});

	it('treats undefined as "use the default"', () => {
		expect(resolveOptions({port: undefined, rate: undefined}).port).toBe(DEFAULT_SERVER_OPTIONS.port);
	});

	it.each([
		[{port: 70_000}, /port/],
		[{port: -1}, /port/],
		[{maxFrameBytes: 10}, /maxFrameBytes/],
		[{maxFrameBytes: 1.5}, /maxFrameBytes/],
		[{burst: 0}, /burst/],
		[{rate: -1}, /rate/],
		[{rate: Number.NaN}, /rate/],
		[{maxClients: 0}, /maxClients/],
		[{maxSendQueueBytes: 0}, /maxSendQueueBytes/],
		[{handshakeTimeoutMs: 0}, /handshakeTimeoutMs/],
		[{maxQueuedCommands: -1}, /maxQueuedCommands/],
		[{partialFrameTimeoutMs: 0.5}, /partialFrameTimeoutMs/],
		[{host: ''}, /host/],
	])('throws up front on %j, naming the option', (partial, name) => {
		expect(() => resolveOptions(partial)).toThrow(ServerOptionsError);
		expect(() => resolveOptions(partial)).toThrow(name);
	});
});

describe('createRateLimiter', () => {
	const now = (nowMs: number) => ({ok: true, atMs: nowMs});

	it('with no queue: allows a burst, then refills at the rate', () => {
		const limiter = createRateLimiter({rate: 10, burst: 20, maxQueued: 0}, 0);
		for (let i = 0; i < 20; i++) expect(limiter.admit(0)).toEqual(now(0));
		expect(limiter.admit(0)).toEqual({ok: false, retry: 1});
		expect(limiter.admit(99).ok).toBe(false); // 0.99 tokens
		expect(limiter.admit(100)).toEqual(now(100));
		expect(limiter.admit(100).ok).toBe(false);
		// A long pause refills no more than the burst.
		for (let i = 0; i < 20; i++) expect(limiter.admit(60_000)).toEqual(now(60_000));
		expect(limiter.admit(60_000).ok).toBe(false);
	});

	it('gives commands over the limit a later time, one token apart, until the queue is full', () => {
		const limiter = createRateLimiter({rate: 10, burst: 2, maxQueued: 3}, 0);
		expect(limiter.admit(0)).toEqual(now(0));
		expect(limiter.admit(0)).toEqual(now(0));
		expect(limiter.admit(0)).toEqual({ok: true, atMs: 100});
		expect(limiter.admit(0)).toEqual({ok: true, atMs: 200});
		expect(limiter.admit(0)).toEqual({ok: true, atMs: 300});
		expect(limiter.admit(0)).toEqual({ok: false, retry: 1});
		// As time passes the queue drains and a place frees.
		expect(limiter.admit(100)).toEqual({ok: true, atMs: 400});
		expect(limiter.admit(100).ok).toBe(false);
	});

	it('says how long a slow bucket needs to free a place', () => {
		const limiter = createRateLimiter({rate: 0.25, burst: 1, maxQueued: 1}, 0);
		expect(limiter.admit(0)).toEqual(now(0));
		expect(limiter.admit(0)).toEqual({ok: true, atMs: 4000});
		expect(limiter.admit(0)).toEqual({ok: false, retry: 4});
	});

	it('never refuses with rate 0', () => {
		const limiter = createRateLimiter({rate: 0, burst: 1, maxQueued: 0}, 0);
		for (let i = 0; i < 1000; i++) expect(limiter.admit(5)).toEqual(now(5));
	});
});

describe('parseCommand', () => {
	it('reads the client\'s features on connect, leaving out names it does not know', () => {
		expect(parseCommand({cmd: 'connect', username: 'a', features: ['codes', 'teleport', 7, 'history']})).toEqual({
			ok: true,
			command: {cmd: 'connect', username: 'a', features: ['codes', 'history']},
		});
		expect(parseCommand({cmd: 'connect', username: 'a'})).toEqual({ok: true, command: {cmd: 'connect', username: 'a'}});
	});

	it.each([
		[{cmd: 'connect', username: 'a', features: 'codes'}, 'bad-field'],
		[{cmd: 'connect', username: 'a', features: {codes: true}}, 'bad-field'],
		[{cmd: 'connect'}, 'bad-field'],
		[{}, 'bad-field'],
		[{cmd: 1}, 'bad-field'],
		[{cmd: 'fly'}, 'unknown-command'],
		[{cmd: 'exit', msg: []}, 'bad-field'],
	])('refuses %j with %s', (frame, code) => {
		expect(parseCommand(frame)).toMatchObject({ok: false, code});
	});
});

describe('oneLineReason', () => {
	it('flattens line breaks, trims, and cuts to 256 code points without splitting one', () => {
		expect(oneLineReason('  off to\r\nlunch\n\nback soon ')).toBe('off to lunch back soon');
		expect(oneLineReason('a\u2028b\u0085c')).toBe('a b c');
		expect(oneLineReason(' \n ')).toBeUndefined();
		const emoji = '😀'.repeat(300);
		expect(oneLineReason(emoji)).toBe('😀'.repeat(256));
		expect(oneLineReason('x'.repeat(256))).toBe('x'.repeat(256));
	});
});

describe('LocalHub', () => {
	const member = () => {
		const frames: string[] = [];
		return {frames, deliver: (frame: Uint8Array) => frames.push(Buffer.from(frame).toString())};
	};

	it('claims names case-insensitively, once per member', async () => {
		const hub = new LocalHub();
		const a = member();
		const b = member();
		expect(await hub.claim('Alice', a)).toBe(true);
		expect(await hub.claim('alice', b)).toBe(false);
		expect(await hub.claim('other', a)).toBe(false);
		expect(await hub.claim('bob', b)).toBe(true);
		expect(hub.size).toBe(2);
	});

	it('keeps join order through renames and frees old names', async () => {
		const hub = new LocalHub();
		const [a, b, c] = [member(), member(), member()];
		await hub.claim('a', a);
		await hub.claim('b', b);
		await hub.claim('c', c);
		expect(await hub.rename(a, 'B')).toBe(false);
		expect(await hub.rename(b, 'B')).toBe(true);
		expect(await hub.rename(a, 'z')).toBe(true);
		expect(await hub.roster()).toEqual(['z', 'B', 'c']);
		expect(await hub.claim('A', member())).toBe(true);
		await hub.release(c);
		await hub.release(c);
		expect(await hub.roster()).toEqual(['z', 'B', 'A']);
		expect(await hub.rename(c, 'q')).toBe(false);
	});

	it('broadcasts the same bytes to every member except one', async () => {
		const hub = new LocalHub();
		const [a, b, c] = [member(), member(), member()];
		await hub.claim('a', a);
		await hub.claim('b', b);
		await hub.claim('c', c);
		const seen: Uint8Array[] = [];
		for (const m of [a, b, c]) {
			const deliver = m.deliver;
			m.deliver = frame => {
				seen.push(frame);
				return deliver(frame);
			};
		}

		const frame = Buffer.from('{"cmd":"x"}\n');
		hub.broadcast(LOBBY, frame, b);
		expect(a.frames).toEqual(['{"cmd":"x"}\n']);
		expect(b.frames).toEqual([]);
		expect(c.frames).toEqual(['{"cmd":"x"}\n']);
		// Encoded once: every recipient got the very same buffer.
		expect(seen.every(item => item === frame)).toBe(true);
	});
});

describe('server log', () => {
	it('writes one line per connect, rename and exit', () => {
		const lines: string[] = [];
		const log = createServerLog(line => lines.push(line), false);
		log.connect('alice', '127.0.0.1:5000');
		log.rename('alice', 'ally');
		log.exit('ally', 'exit: bye');
		expect(lines).toHaveLength(3);
		expect(lines[0]).toMatch(/connect alice from 127\.0\.0\.1:5000$/);
		expect(lines[1]).toMatch(/rename alice -> ally$/);
		expect(lines[2]).toMatch(/exit ally \(exit: bye\)$/);
	});

	it('writes nothing when quiet', () => {
		const lines: string[] = [];
		const log = createServerLog(line => lines.push(line), true);
		log.connect('alice', 'x');
		log.exit('alice', 'y');
		expect(lines).toEqual([]);
	});

	it('escapes control characters and bidi overrides in untrusted text, and caps its length', () => {
		expect(logSafe('a\u001B[2Jb\u202Ec\u0085d\n')).toBe('a\\u001b[2Jb\\u202ec\\u0085d\\u000a');
		expect([...logSafe('x'.repeat(500))].length).toBe(121);
		// A backslash in the text is doubled, so spelt-out escapes stay apart from real ones.
		expect(logSafe('a\\u001bb\u001B')).toBe('a\\\\u001bb\\u001b');
	});
});
