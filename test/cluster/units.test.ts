// The Redis hub's pure parts: the channel envelope, telling membership events
// from messages, and option checks.
import {describe, expect, it} from 'vitest';
import {encodeFrameBytes} from '../../source/protocol/encoder.js';
import {envelope, isMembershipEvent, messageEpoch, messageSeq, messageUser, frameEnd, openEnvelope} from '../../source/server/redis/frames.js';
import {encodeMessageEvent} from '../../source/server/store/message-event.js';
import {redisSeeds} from '../../source/server/store/redis-connect.js';
import {SeenSeqs} from '../../source/server/store/redis-seen-seqs.js';
import {keySlot} from '../../source/server/store/redis-slot.js';
import {resolveRedisHubOptions, RedisHubOptionsError} from '../../source/server/redis/options.js';
import {clusterKeys} from '../../source/server/redis/scripts.js';
import {redactRedisUrl} from '../../source/server/store/redis-connect.js';
import {TickLog} from '../../source/server/redis/tick-log.js';
import {StoreError, type AppendOutcome, type MessageLog, type NewMessage} from '../../source/server/store/message-log.js';

const bytes = (text: string) => Buffer.from(text);

describe('envelope', () => {
	it('round-trips the sender id and the frame bytes', () => {
		const id = bytes('0123456789abcdef');
		const frame = encodeFrameBytes({cmd: 'message', user: 'ann', msg: 'hé\n'});
		const opened = openEnvelope(envelope(id, frame));
		expect(opened?.sender.toString()).toBe('0123456789abcdef');
		expect(opened?.frame.equals(frame)).toBe(true);
	});

	it('ignores a payload too short to hold a frame', () => {
		expect(openEnvelope(bytes('0123456789abcdef'))).toBeUndefined();
		expect(openEnvelope(bytes('short'))).toBeUndefined();
	});
});

describe('isMembershipEvent', () => {
	it('is true for enter, exit and rename, false for messages and anything else', () => {
		expect(isMembershipEvent(encodeFrameBytes({cmd: 'client-enter', user: 'a'}))).toBe(true);
		expect(isMembershipEvent(encodeFrameBytes({cmd: 'client-exit', user: 'a'}))).toBe(true);
		expect(isMembershipEvent(encodeFrameBytes({cmd: 'client-rename', user: 'b', oldname: 'a', newname: 'b'}))).toBe(true);
		expect(isMembershipEvent(encodeFrameBytes({cmd: 'message', user: 'a', msg: '{"cmd":"client-exit"}'}))).toBe(false);
		expect(isMembershipEvent(bytes('{"user":"a","cmd":"client-exit"}\n'))).toBe(true);
		expect(isMembershipEvent(bytes('{"cmd":"client-typing","user":"a"}\n'))).toBe(false);
		expect(isMembershipEvent(bytes('not json'))).toBe(false);
	});
});

describe('frameEnd, messageSeq in place and messageUser', () => {
	it("walks a log append's envelope frame by frame, each with its newline, reading each one's seq in place and its user", () => {
		const users = ['ann', 'bö "the" \\ one', 'Ωmega'];
		const frames = users.map((user, index) => encodeMessageEvent({seq: index + 41, epoch: 'e', time: 1, user, msg: `line\nwith "quotes" ,"seq":7 ${index}`}, '#rust'));
		const envelope = Buffer.from(frames.join(''));
		const split: Buffer[] = [];
		const seqs: Array<number | undefined> = [];
		for (let start = 0, end = 0; start < envelope.length; start = end) {
			end = frameEnd(envelope, start);
			split.push(envelope.subarray(start, end));
			seqs.push(messageSeq(envelope, start, end));
		}

		expect(split.map(frame => frame.toString())).toEqual(frames);
		expect(seqs).toEqual([41, 42, 43]);
		expect(split.map(frame => messageUser(frame))).toEqual(users);
		const unfinished = Buffer.from('{"cmd":"message"}');
		expect(frameEnd(unfinished, 0)).toBe(unfinished.length);
		// A frame without a seq is not given the next frame's.
		const mixed = Buffer.from('{"cmd":"message","user":"a"}\n' + frames[0]);
		expect(messageSeq(mixed, 0, frameEnd(mixed, 0))).toBeUndefined();
		expect(messageUser(Buffer.from('{"cmd":"client-exit","user":"x"}\n'))).toBe('x');
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

describe('TickLog', () => {
	/** A log that records each append call and stores everything, seq after seq. */
	function recordingLog(fail = false): MessageLog & {calls: NewMessage[][]} {
		let seq = 0;
		const calls: NewMessage[][] = [];
		return {
			kind: 'redis',
			calls,
			async append(messages) {
				calls.push([...messages]);
				if (fail) throw new StoreError('unavailable', 'down', {retry: 2});
				return messages.map((): AppendOutcome => ({outcome: 'stored', seq: ++seq, epoch: 'e', time: 0}));
			},
			async history() {
				throw new Error('not used');
			},
			async encodedHistory() {
				throw new Error('not used');
			},
			async drop() {},
			async close() {},
		};
	}

	const message = (msg: string): NewMessage => ({conversation: '#lobby', user: 'ann', msg});

	it('sends the appends of one turn in one call, in order, and gives each caller its own outcomes in that order', async () => {
		const inner = recordingLog();
		const log = new TickLog(inner);
		const settled: string[] = [];
		const first = log.append([message('a'), message('b')]).then(outcomes => {
			settled.push('first');
			return outcomes;
		});
		const second = log.append([message('c')]).then(outcomes => {
			settled.push('second');
			return outcomes;
		});
		expect(inner.calls).toEqual([]);
		expect((await first).map(outcome => outcome.outcome === 'stored' && outcome.seq)).toEqual([1, 2]);
		expect((await second).map(outcome => outcome.outcome === 'stored' && outcome.seq)).toEqual([3]);
		expect(settled).toEqual(['first', 'second']);
		expect(inner.calls.map(call => call.map(item => item.msg))).toEqual([['a', 'b', 'c']]);
		// The next turn is the next call.
		await log.append([message('d')]);
		expect(inner.calls).toHaveLength(2);
	});

	it('fails every caller of the turn when the call fails', async () => {
		const log = new TickLog(recordingLog(true));
		const results = await Promise.allSettled([log.append([message('a')]), log.append([message('b')])]);
		expect(results.map(result => result.status === 'rejected' && (result.reason as StoreError).code)).toEqual(['unavailable', 'unavailable']);
	});
});

describe('keySlot', () => {
	it('hashes as Redis Cluster does: CRC16 of the key, or of its non-empty hash tag', () => {
		// Values from CLUSTER KEYSLOT.
		expect(keySlot('foo')).toBe(12_182);
		expect(keySlot('bar')).toBe(5061);
		expect(keySlot('codechat:{foo}:log')).toBe(12_182);
		expect(keySlot('a{}b')).not.toBe(keySlot('b'));
	});

	it('puts every key of the name registry, those its scripts build included, in the slot of the lobby\'s channel', () => {
		const keys = clusterKeys('codechat:');
		const built = ['node:0123456789abcdef', 'members:0123456789abcdef', 'swept:0123456789abcdef', 'account:alice'].map(key => keys.registry + key);
		const all = [keys.holder, keys.display, keys.direct, keys.order, keys.seq, keys.nodes, keys.node('0123456789abcdef'), ...built];
		expect(new Set(all.map(keySlot))).toEqual(new Set([keySlot(keys.channel)]));
	});
});

describe('redisSeeds', () => {
	it('takes one URL or comma-separated seeds, and refuses anything else', () => {
		expect(redisSeeds('redis://a:1')).toEqual(['redis://a:1']);
		expect(redisSeeds(' redis://a:1, rediss://b:2 ,')).toEqual(['redis://a:1', 'rediss://b:2']);
		expect(() => redisSeeds('')).toThrow(/no Redis URL/);
		expect(() => redisSeeds('redis://a:1,http://b:2')).toThrow(/"http:\/\/b:2\/?" is not a redis:\/\//);
	});
});

describe('what a node notes of the messages it sees', () => {
	it('reads the seq and epoch of an encoded message event', () => {
		const frame = Buffer.from(encodeMessageEvent({seq: 42, epoch: 'e-AZ_09', time: 1, user: 'a "seq":1', msg: ',"epoch":"x"'}, '#room'));
		expect([messageSeq(frame), messageEpoch(frame)]).toEqual([42, 'e-AZ_09']);
	});

	it('keeps the newest seq per conversation, and a new epoch replaces the old', () => {
		const seen = new SeenSeqs();
		seen.note('#r', 'e1', 5);
		seen.note('#r', 'e1', 3);
		expect(seen.of('#r')).toEqual({epoch: 'e1', seq: 5});
		seen.note('#r', 'e2', 1);
		expect(seen.of('#r')).toEqual({epoch: 'e2', seq: 1});
		expect(seen.of('#other')).toBeUndefined();
	});
});
