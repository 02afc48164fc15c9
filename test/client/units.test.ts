import {describe, expect, it} from 'vitest';
import {backoffDelay, DEFAULT_BACKOFF} from '../../source/client/backoff.js';
import {TypedEmitter} from '../../source/client/emitter.js';
import {codedError, CONNECT_TIMEOUT, HANDSHAKE_TIMEOUT, humanError} from '../../source/client/errors.js';
import {Outbox} from '../../source/client/outbox.js';
import {Pacer} from '../../source/client/pacer.js';
import {Timers} from '../../source/client/timers.js';
import {fakeClock} from './fake-clock.js';

describe('humanError', () => {
	it('connection refused says what to do', () => {
		expect(humanError(codedError('ECONNREFUSED', 'x'), 'localhost', 8080)).toBe(
			'cannot reach localhost:8080 (connection refused) — is a server running there? Try `codechat-tui --serve` to host one.',
		);
	});

	it('connection refused by a server we were just connected to: it is down or restarting, no advice to host one', () => {
		expect(humanError(codedError('ECONNREFUSED', 'x'), 'localhost', 8080, {wasHere: true})).toBe(
			'cannot reach localhost:8080 (connection refused) — the server is down or restarting; retrying',
		);
	});

	it('DNS failures name the host', () => {
		expect(humanError(codedError('ENOTFOUND', 'x'), 'nope.invalid', 1)).toBe('cannot resolve nope.invalid — check the host name.');
		expect(humanError(codedError('EAI_AGAIN', 'x'), 'h', 1)).toMatch(/^cannot resolve h — check the host name/);
	});

	it('timeouts give the time', () => {
		expect(humanError(codedError(CONNECT_TIMEOUT, 'x', 10_000), 'h', 9)).toMatch(/^cannot reach h:9 \(timed out after 10 s\) — /);
		expect(humanError(codedError('ETIMEDOUT', 'x'), 'h', 9)).toMatch(/timed out after 10 s/);
		expect(humanError(codedError(HANDSHAKE_TIMEOUT, 'x', 1500), 'h', 9)).toMatch(/did not answer within 1.5 s — is it a CodeChat server/);
	});

	it('resets, TLS certificates and unknown codes', () => {
		expect(humanError(codedError('ECONNRESET', 'x'), 'h', 9)).toMatch(/^the connection to h:9 was reset — /);
		expect(humanError(codedError('DEPTH_ZERO_SELF_SIGNED_CERT', 'x'), 'h', 9)).toMatch(/^cannot trust the TLS certificate of h:9 .*--tls-ca/);
		expect(humanError(codedError('ERR_TLS_CERT_ALTNAME_INVALID', 'x'), 'h', 9)).toMatch(/certificate/);
		expect(humanError(codedError('ERR_SSL_WRONG_VERSION_NUMBER', 'x'), 'h', 9)).toMatch(/may not speak TLS/);
		expect(humanError(codedError('EWHATEVER', 'x'), 'h', 9)).toMatch(/\(EWHATEVER\)/);
	});

	it('brackets IPv6 and never echoes odd codes or messages', () => {
		expect(humanError(codedError('ECONNREFUSED', 'x'), '::1', 80)).toMatch(/^cannot reach \[::1\]:80 /);
		const text = humanError(codedError('\u001B[31mX', '\u001B]0;pwned\u0007'), 'h', 9);
		expect(text).not.toContain('\u001B');
		expect(humanError('a string', 'h', 9)).toMatch(/^lost the connection to h:9/);
		expect(humanError(undefined, 'h', 9)).toMatch(/^lost the connection to h:9/);
	});
});

describe('backoffDelay', () => {
	it('full jitter under a capped exponential ceiling', () => {
		const top = () => 0.999_999;
		expect(backoffDelay(1, DEFAULT_BACKOFF, top)).toBe(499);
		expect(backoffDelay(2, DEFAULT_BACKOFF, top)).toBe(999);
		expect(backoffDelay(7, DEFAULT_BACKOFF, top)).toBe(29_999); // 500 * 64 = 32 000, capped
		expect(backoffDelay(1000, DEFAULT_BACKOFF, top)).toBe(29_999);
		expect(backoffDelay(5, DEFAULT_BACKOFF, () => 0)).toBe(0);
		for (let i = 0; i < 200; i++) {
			const delay = backoffDelay(4, DEFAULT_BACKOFF);
			expect(delay).toBeGreaterThanOrEqual(0);
			expect(delay).toBeLessThan(4000);
		}
	});
});

describe('Outbox', () => {
	it('keeps order, pipelines, settles FIFO and requeues on a drop', () => {
		const outbox = new Outbox(10);
		const a = outbox.add('a');
		const b = outbox.add('b');
		const c = outbox.add('c');
		expect(a.ok && b.ok && c.ok).toBe(true);
		expect(outbox.takeQueued()?.text).toBe('a');
		expect(outbox.takeQueued()?.text).toBe('b');
		expect(outbox.settle(b.entry.localId)).toBeUndefined(); // not the oldest in flight
		expect(outbox.settle(a.entry.localId)?.text).toBe('a');
		outbox.requeueInFlight(); // b was in flight when the connection dropped
		expect(outbox.pending().map(entry => entry.text)).toEqual(['b', 'c']);
		expect(outbox.takeQueued()?.text).toBe('b');
		expect(outbox.takeQueued()?.text).toBe('c');
		expect(outbox.takeQueued()).toBeUndefined();
		expect(outbox.settle(b.entry.localId)?.text).toBe('b');
		expect(outbox.size).toBe(1);
	});

	it('keeps a message refused for now in its place, and sends nothing until the ones written after it are answered', () => {
		const outbox = new Outbox(10);
		const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(text => outbox.add(text).entry);
		outbox.takeQueued();
		outbox.takeQueued();
		outbox.takeQueued(); // a, b, c in flight
		expect(outbox.keep(b.localId)).toBeUndefined(); // not the oldest in flight
		expect(outbox.keep(a.localId)?.text).toBe('a');
		// b and c were written after a: until their statuses come, nothing may go (a again, or d).
		expect(outbox.takeQueued()).toBeUndefined();
		expect(outbox.settle(b.localId)?.text).toBe('b'); // taken before a was refused (a server without the hold)
		expect(outbox.keep(c.localId)?.text).toBe('c');
		expect(outbox.pending().map(entry => entry.text)).toEqual(['a', 'c', 'd']);
		expect(outbox.takeQueued()?.id).toBe(a.id); // the same id again
		expect(outbox.takeQueued()?.text).toBe('c');
		expect(outbox.takeQueued()?.text).toBe('d');
		expect(outbox.hasId(a.id) && outbox.hasId(c.id)).toBe(true);
		// A room closed meanwhile: a kept message for it is taken out like a queued one.
		outbox.keep(a.localId);
		expect(outbox.removeQueued(entry => entry.text === 'a').map(entry => entry.text)).toEqual(['a']);
		expect(outbox.settle(c.localId)?.text).toBe('c');
		expect(outbox.settle(d.localId)?.text).toBe('d');
		expect(outbox.size).toBe(0);
	});

	it('refuses past its capacity, with an id and a reason', () => {
		const outbox = new Outbox(2);
		outbox.add('a');
		outbox.add('b');
		const third = outbox.add('c');
		expect(third.ok).toBe(false);
		if (!third.ok) expect(third.error).toMatch(/outbox full/);
		expect(third.entry.localId).toBe(3);
		expect(outbox.size).toBe(2);
		expect(() => new Outbox(0)).toThrow(RangeError);
	});
});

describe('Timers', () => {
	it('tracks, clears one, clears all', () => {
		const clock = fakeClock();
		const timers = new Timers(clock);
		const fired: string[] = [];
		timers.set(() => fired.push('a'), 10);
		const b = timers.set(() => fired.push('b'), 10);
		timers.set(() => fired.push('c'), 20);
		expect(timers.size).toBe(3);
		timers.clear(b);
		clock.advance(10);
		expect(fired).toEqual(['a']);
		expect(timers.size).toBe(1);
		timers.clearAll();
		clock.advance(100);
		expect(fired).toEqual(['a']);
		expect(timers.size).toBe(0);
	});
});

describe('Pacer', () => {
	it('allows a burst, then a steady rate', () => {
		const clock = fakeClock();
		const pacer = new Pacer({burst: 3, perSecond: 2}, clock);
		for (let i = 0; i < 3; i++) {
			expect(pacer.waitMs()).toBe(0);
			pacer.take();
		}

		expect(pacer.waitMs()).toBe(500);
		clock.advance(500);
		expect(pacer.waitMs()).toBe(0);
		expect(new Pacer(false, clock).waitMs()).toBe(0);
	});
});

describe('TypedEmitter', () => {
	it('on, once, off and counts', () => {
		class Probe extends TypedEmitter<{ping: number}> {
			fire(n: number) {
				this.emit('ping', n);
			}
		}

		const probe = new Probe();
		const seen: number[] = [];
		const listener = (n: number) => seen.push(n);
		probe.on('ping', listener).once('ping', n => seen.push(n * 10));
		expect(probe.listenerCount('ping')).toBe(2);
		probe.fire(1);
		probe.fire(2);
		probe.off('ping', listener);
		probe.fire(3);
		expect(seen).toEqual([1, 10, 2]);
		expect(probe.listenerCount()).toBe(0);
	});
});
