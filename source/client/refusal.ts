// What a refusal means for the client's next step: of `connect`, and of a
// chat message. Decided on the §8 code when the server sends codes; only a
// server without them (the seed, the 2015 server) has its English text
// matched, and only for `connect`.
import type {FailureCode} from '../protocol/codes.js';
import type {Status} from '../protocol/types.js';

export type Refusal =
	/** The name is held, most likely by our own old session: retry with backoff (if we were connected before). */
	| 'name-held'
	/** Too fast, or the server is briefly unable: back off and retry. */
	| 'retry-later'
	| 'server-full'
	| 'invalid-name'
	/** §11: our account holds as many connections as it may (a sixth terminal): stop, the user closes one. */
	| 'account-full'
	/** Anything else: a plain refusal, stop with the server's text. */
	| 'refused';

/** The codes the client acts on; every other code is a plain refusal. */
const byCode: Partial<Record<FailureCode, Refusal>> = {
	'name-taken': 'name-held',
	'rate-limited': 'retry-later',
	unavailable: 'retry-later',
	'server-full': 'server-full',
	'invalid-name': 'invalid-name',
	// At connect, only an account's connection limit is forbidden (§11).
	forbidden: 'account-full',
};

/** Server error texts that mean "the name is in use" (our server says "name taken"). */
const nameHeldPattern = /taken|in use|held|already (?:used|present|exists)/i;

/** For servers without `codes` only: their error-msg is all we have. */
function fromText(error: string): Refusal {
	if (nameHeldPattern.test(error)) return 'name-held';
	if (/rate/i.test(error)) return 'retry-later';
	if (/server full/i.test(error)) return 'server-full';
	// The seed names no other reason a connect fails but the name.
	return 'invalid-name';
}

export function connectRefusal(status: Pick<Status, 'code' | 'error'>, serverHasCodes: boolean): Refusal {
	if (status.code !== undefined) return byCode[status.code] ?? 'refused';
	return serverHasCodes ? 'refused' : fromText(status.error);
}

/** The line that ends the client after a refusal it does not retry: what happened and what to do. */
export function refusalText(refusal: Refusal, user: string, address: string, error: string): string {
	const texts = {
		'name-held': `the name ${user} is taken on ${address} — choose another name`,
		'retry-later': `${address} asks us to wait (${error}) — try again later`,
		'server-full': `${address} is full (${error}) — try again later`,
		'invalid-name': `${address} refused the name ${user} (${error}) — choose another name`,
		'account-full': `${user} is connected to ${address} from as many terminals as it may (${error}) — close one of them and start again`,
		refused: `${address} refused the connection (${error})`,
	} as const satisfies Record<Refusal, string>;
	return texts[refusal];
}

/** The longest a command waits to go again, whatever `retry` a server names. */
const MAX_RESEND_WAIT_SECONDS = 60;

/**
 * A command refused for now (§8: the log unreachable, or sent too fast) is
 * sent again after this many ms (a chat message with its id); undefined:
 * refused for good.
 */
export function resendDelayMs(status: Pick<Status, 'code' | 'retry'>): number | undefined {
	if (status.code !== 'unavailable' && status.code !== 'rate-limited') return undefined;
	const seconds = Math.min(MAX_RESEND_WAIT_SECONDS, Math.max(1, status.retry ?? 1));
	return seconds * 1000;
}
