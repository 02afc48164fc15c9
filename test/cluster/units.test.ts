// The Redis hub's pure parts: the channel envelope, telling membership events
// from messages, and option checks.
import {describe, expect, it} from 'vitest';
import {encodeFrame} from '../../source/protocol/encoder.js';
import {envelope, eventBytes, isMembershipEvent, openEnvelope} from '../../source/server/redis/frames.js';
import {resolveRedisHubOptions, RedisHubOptionsError} from '../../source/server/redis/options.js';
import {redactRedisUrl} from '../../source/server/redis/serve-hub.js';

const bytes = (text: string) => Buffer.from(text);

describe('envelope', () => {
	it('round-trips the sender id and the frame bytes', () => {
		const id = bytes('0123456789abcdef');
		const frame = eventBytes({cmd: 'message', user: 'ann', msg: 'hé\n'});
		const opened = openEnvelope(envelope(id, frame));
		expect(opened?.sender.toString()).toBe('0123456789abcdef');
		expect(opened?.frame.equals(frame)).toBe(true);
	});

	it('ignores a payload too short to hold a frame', () => {
		expect(openEnvelope(bytes('0123456789abcdef'))).toBeUndefined();
		expect(openEnvelope(bytes('short'))).toBeUndefined();
	});

	it('encodes events exactly as the protocol encoder does', () => {
		const event = {cmd: 'client-rename', user: 'b', oldname: 'a', newname: 'b'} as const;
		expect(eventBytes(event).toString()).toBe(encodeFrame(event));
	});
});

describe('isMembershipEvent', () => {
	it('is true for enter, exit and rename, false for messages and anything else', () => {
		expect(isMembershipEvent(eventBytes({cmd: 'client-enter', user: 'a'}))).toBe(true);
		expect(isMembershipEvent(eventBytes({cmd: 'client-exit', user: 'a'}))).toBe(true);
		expect(isMembershipEvent(eventBytes({cmd: 'client-rename', user: 'b', oldname: 'a', newname: 'b'}))).toBe(true);
		expect(isMembershipEvent(eventBytes({cmd: 'message', user: 'a', msg: '{"cmd":"client-exit"}'}))).toBe(false);
		expect(isMembershipEvent(bytes('{"user":"a","cmd":"client-exit"}\n'))).toBe(true);
		expect(isMembershipEvent(bytes('{"cmd":"client-typing","user":"a"}\n'))).toBe(false);
		expect(isMembershipEvent(bytes('not json'))).toBe(false);
	});
});

describe('resolveRedisHubOptions', () => {
	it('fills in defaults that expire a crashed node within 30 s', () => {
		const options = resolveRedisHubOptions();
		expect(options.nodeTtlMs + options.heartbeatMs).toBeLessThan(30_000);
	});

	it('refuses a TTL shorter than two heartbeats, and bad node ids', () => {
		expect(() => resolveRedisHubOptions({heartbeatMs: 1000, nodeTtlMs: 1500})).toThrow(RedisHubOptionsError);
		expect(() => resolveRedisHubOptions({heartbeatMs: 0})).toThrow(/heartbeatMs/);
		expect(() => resolveRedisHubOptions({nodeId: 'xyz'})).toThrow(/nodeId/);
		expect(resolveRedisHubOptions({nodeId: '00112233445566ff'}).nodeId).toBe('00112233445566ff');
	});
});

describe('redactRedisUrl', () => {
	it('hides the password', () => {
		expect(redactRedisUrl('redis://user:hunter2@db:6379/0')).toBe('redis://user:***@db:6379/0');
		expect(redactRedisUrl('redis://db:6379')).toBe('redis://db:6379');
	});
});
