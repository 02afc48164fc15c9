// The hold behind a message refused for now (§8): later messages wait for its
// resend; the resend lifts it; a client that gave the message up is let
// through after 30 s. Real servers are in test/cluster/outage.test.ts and
// test/client/real-server.test.ts; this is the timing, with times passed in.
import {describe, expect, it} from 'vitest';
import {failureStatus, successStatus} from '../../source/protocol/encoder.js';
import {ResendHold} from '../../source/server/resend-hold.js';

const unavailable = failureStatus('unavailable', 'message not stored', 2);

describe('ResendHold', () => {
	it('refuses the messages after a refused one the same way until it comes again', () => {
		const hold = new ResendHold();
		hold.answered('first', unavailable, 0);
		expect(hold.check('second', 10)).toMatchObject({success: false, code: 'unavailable', retry: 2});
		expect(hold.check(undefined, 20)).toMatchObject({code: 'unavailable'});
		expect(hold.check('first', 30)).toBeUndefined();
		expect(hold.check('second', 40)).toBeUndefined();
	});

	it('holds only for refusals for now, and only messages with an id', () => {
		const hold = new ResendHold();
		hold.answered('first', failureStatus('conflict', 'id used'), 0);
		hold.answered('first', successStatus('sent'), 0);
		hold.answered(undefined, unavailable, 0);
		expect(hold.check('second', 10)).toBeUndefined();
		hold.answered('third', failureStatus('rate-limited', 'rate limited', 1), 20);
		expect(hold.check('fourth', 30)).toMatchObject({code: 'rate-limited', retry: 1});
	});

	it('lets the next message through 30 s after the refusal, for a client that gave it up', () => {
		const hold = new ResendHold();
		hold.answered('first', unavailable, 1000);
		expect(hold.check('second', 30_999)).toMatchObject({code: 'unavailable'});
		expect(hold.check('second', 31_000)).toBeUndefined();
		expect(hold.check('third', 31_001)).toBeUndefined();
	});
});
