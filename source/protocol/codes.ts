// Protocol 2 negotiation (PROTOCOL.md §8): the failure codes, the feature
// names and the limits a `connect` status carries. One module, imported by
// the server (which sends them) and the client (which decides on them).

/** Every failure code of §8. A server may add codes; a client treats one it does not know as a plain refusal. */
export const FAILURE_CODES = [
	'malformed-frame',
	'frame-too-large',
	'unknown-command',
	'bad-field',
	'unsupported',
	'not-connected',
	'already-connected',
	'invalid-name',
	'name-taken',
	'invalid-room',
	'too-many-rooms',
	'auth-required',
	'auth-failed',
	'locked-out',
	'tls-required',
	'rate-limited',
	'server-full',
	'unavailable',
	'no-such-room',
	'not-in-room',
	'no-such-user',
	'too-long',
	'conflict',
	'forbidden',
] as const;

export type FailureCode = (typeof FAILURE_CODES)[number];

const knownCodes: ReadonlySet<string> = new Set(FAILURE_CODES);

/** The codes that carry `retry` (seconds to wait before trying again). */
export const RETRY_CODES: ReadonlySet<FailureCode> = new Set<FailureCode>(['locked-out', 'rate-limited', 'unavailable']);

/** A code from the wire, if it is one we know; anything else (missing, foreign, not a string) is undefined. */
export function knownCode(value: unknown): FailureCode | undefined {
	return typeof value === 'string' && knownCodes.has(value) ? (value as FailureCode) : undefined;
}

/** The extensions of part two, named by their sections (§8). */
export const FEATURES = ['codes', 'history', 'rooms', 'direct', 'accounts', 'file', 'presence'] as const;

export type Feature = (typeof FEATURES)[number];

const knownFeatures: ReadonlySet<string> = new Set(FEATURES);

/** The features a server or client listed, keeping only names we know; a missing or malformed list is none. */
export function parseFeatures(value: unknown): Set<Feature> {
	const features = new Set<Feature>();
	if (!Array.isArray(value)) return features;
	for (const item of value) {
		if (typeof item === 'string' && knownFeatures.has(item)) features.add(item as Feature);
	}

	return features;
}

/** `limits` of a `connect` status: bytes of an encoded frame, characters of a message, bytes of a shared file. */
export type ServerLimits = {frame: number; msg: number; file: number};
