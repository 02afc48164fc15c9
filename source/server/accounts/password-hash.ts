// Passwords as self-describing scrypt strings:
//   $scrypt$ln=14,r=8,p=2$<salt, base64>$<key, base64>
// The cost parameters and the salt travel with each hash, so the parameters
// can be raised later: an old hash still verifies, and says it wants a rehash.
// Keys are compared with timingSafeEqual. A stored string that does not parse
// is a HashFormatError, never a wrong password: treating it as one would hide
// a damaged database behind "wrong password" forever.
import {randomBytes, scrypt, timingSafeEqual, type ScryptOptions} from 'node:crypto';

export type ScryptParameters = {
	/** log2 of N, the CPU/memory cost. */
	ln: number;
	/** Block size. */
	r: number;
	/** Parallelism; Node runs the lanes one after another, so it multiplies the time, not the memory. */
	p: number;
};

/**
 * About 90 ms of one core here (bench `accounts` prints it) and 16 MiB per
 * check; with at most 2 checks at once that is 32 MiB. p=2 doubles the time
 * without doubling the memory, which N=2^15 would.
 */
export const CURRENT_SCRYPT: Readonly<ScryptParameters> = {ln: 14, r: 8, p: 2};

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse stored parameters that would take minutes or gigabytes: a hostile or damaged row must not stall the server. */
const MAX_LN = 20;
const MAX_R = 32;
const MAX_P = 16;

export class HashFormatError extends Error {
	override name = 'HashFormatError';
	readonly code = 'corrupt-hash';
}

export type Verification = {match: boolean; needsRehash: boolean};

const hashPattern = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

type ParsedHash = {parameters: ScryptParameters; salt: Buffer; key: Buffer};

/** Reads a stored hash; throws HashFormatError (saying what is wrong, never echoing the string) when it is not one. */
export function parseHash(stored: string): ParsedHash {
	const parts = hashPattern.exec(stored);
	if (!parts) throw new HashFormatError('a stored password hash is not in the $scrypt$ln=…,r=…,p=…$salt$key form');
	const [ln, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
	if (ln < 1 || ln > MAX_LN || r < 1 || r > MAX_R || p < 1 || p > MAX_P) {
		throw new HashFormatError(`a stored password hash has out-of-range parameters (ln=${ln}, r=${r}, p=${p})`);
	}

	const salt = Buffer.from(parts[4], 'base64');
	const key = Buffer.from(parts[5], 'base64');
	if (salt.length < 8 || key.length < 16) throw new HashFormatError('a stored password hash has a salt or key too short to be one of ours');
	return {parameters: {ln, r, p}, salt, key};
}

export function formatHash(parameters: ScryptParameters, salt: Buffer, key: Buffer): string {
	return `$scrypt$ln=${parameters.ln},r=${parameters.r},p=${parameters.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

async function derive(password: string, salt: Buffer, length: number, {ln, r, p}: ScryptParameters): Promise<Buffer> {
	const N = 2 ** ln;
	// OpenSSL refuses more than 32 MiB unless told; 128·N·r bytes is what scrypt needs, plus slack.
	const options: ScryptOptions = {N, r, p, maxmem: 128 * N * r + 4 * 1024 * 1024};
	return new Promise((resolve, reject) => {
		scrypt(password.normalize('NFC'), salt, length, options, (error, key) => {
			if (error) reject(error);
			else resolve(key);
		});
	});
}

const sameParameters = (a: ScryptParameters, b: ScryptParameters) => a.ln === b.ln && a.r === b.r && a.p === b.p;

export class PasswordHasher {
	readonly parameters: Readonly<ScryptParameters>;
	/** Made at once, so the first unknown name does not pay for making it. */
	readonly #dummy: Promise<string>;

	constructor(parameters: Readonly<ScryptParameters> = CURRENT_SCRYPT) {
		this.parameters = parameters;
		this.#dummy = this.hash(randomBytes(SALT_BYTES).toString('base64'));
	}

	/** A new hash with a fresh random salt. */
	async hash(password: string): Promise<string> {
		const salt = randomBytes(SALT_BYTES);
		return formatHash(this.parameters, salt, await derive(password, salt, KEY_BYTES, this.parameters));
	}

	/** Checks `password` against `stored`; throws HashFormatError when `stored` is damaged. */
	async verify(stored: string, password: string): Promise<Verification> {
		const {parameters, salt, key} = parseHash(stored);
		const derived = await derive(password, salt, key.length, parameters);
		return {match: timingSafeEqual(derived, key), needsRehash: !sameParameters(parameters, this.parameters)};
	}

	/**
	 * The work of a wrong password, for a name with no account: a check against
	 * a hash made once with the current parameters, so an unknown name costs
	 * the same scrypt as a known one.
	 */
	async verifyDummy(password: string): Promise<void> {
		await this.verify(await this.#dummy, password);
	}
}
