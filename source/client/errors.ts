// Turns a connection failure into one line a person can act on: what
// happened, then what to do. Pure: a function of (error, host, port), so it
// is tested case by case. The text is built from the error's code and from
// the host and port the user gave us, never from strings the network sent.
import {formatAddress} from '../protocol/address.js';

/** Our own failure codes, for failures that node:net does not name. */
export const CONNECT_TIMEOUT = 'ECODECHAT_CONNECT_TIMEOUT';
export const HANDSHAKE_TIMEOUT = 'ECODECHAT_HANDSHAKE_TIMEOUT';
/** A connected server left a command unanswered for replyTimeoutMs. */
export const REPLY_TIMEOUT = 'ECODECHAT_REPLY_TIMEOUT';

/** An Error with a code, as node:net raises them and as the client makes its own. */
export type CodedError = Error & {code?: string; timeoutMs?: number};

export function codedError(code: string, message: string, timeoutMs?: number): CodedError {
	const error: CodedError = new Error(message);
	error.code = code;
	if (timeoutMs !== undefined) error.timeoutMs = timeoutMs;
	return error;
}

const certificateCodes = new Set([
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_UNTRUSTED',
	'CERT_REVOKED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function seconds(ms: number): string {
	const value = ms / 1000;
	return `${Number.isInteger(value) ? value : value.toFixed(1)} s`;
}

/** A code we may show: node's codes are short upper-case words; anything else is not echoed. */
function safeCode(code: unknown): string | undefined {
	return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
}

/** Certificate checks that failed: retrying cannot help, the user must act (--tls-ca, the right host name). */
export function isCertificateError(error: unknown): boolean {
	const code = typeof error === 'object' && error !== null ? (error as CodedError).code : undefined;
	return typeof code === 'string' && (/^(?:CERT_|ERR_TLS_CERT_)/.test(code) || /SELF_SIGNED|UNABLE_TO_(?:VERIFY|GET_ISSUER)/.test(code));
}

/**
 * `wasHere`: we were connected to this server before, so it exists and is
 * down or restarting; advice to host one of our own would be wrong then.
 */
export function humanError(error: unknown, host: string, port: number, {wasHere = false} = {}): string {
	const address = formatAddress(host, port);
	const coded = (typeof error === 'object' && error !== null ? error : {}) as CodedError;
	const code = safeCode(coded.code);
	const timeout = seconds(typeof coded.timeoutMs === 'number' ? coded.timeoutMs : 10_000);

	switch (code) {
		case 'ECONNREFUSED':
			return wasHere
				? `cannot reach ${address} (connection refused) — the server is down or restarting; retrying`
				: `cannot reach ${address} (connection refused) — is a server running there? Try \`codechat-tui --serve\` to host one.`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'EAI_NONAME':
		case 'EAI_FAIL':
			return `cannot resolve ${host} — check the host name${code === 'EAI_AGAIN' ? ' and your network connection' : ''}.`;
		case CONNECT_TIMEOUT:
		case 'ETIMEDOUT':
			return `cannot reach ${address} (timed out after ${timeout}) — check the address and port, and that no firewall is in between.`;
		case HANDSHAKE_TIMEOUT:
			return `${address} accepted the connection but did not answer within ${timeout} — is it a CodeChat server? Check the port (and --tls).`;
		case REPLY_TIMEOUT:
			return `${address} stopped answering (no reply within ${timeout}) — the connection is dead or the server is stuck; reconnecting.`;
		case 'CERT_HAS_EXPIRED':
			return `the TLS certificate of ${address} has expired (${code}) — the server must renew it; --insecure skips the check (unsafe).`;
		case 'CERT_NOT_YET_VALID':
			return `the TLS certificate of ${address} is not valid yet (${code}) — check this computer's clock.`;
		case 'ERR_TLS_CERT_ALTNAME_INVALID':
			return `the TLS certificate of ${address} is not issued for ${host} (${code}) — connect with the host name the certificate names.`;
		case 'ECONNRESET':
			return `the connection to ${address} was reset — the server closed it abruptly; reconnecting may help.`;
		case 'EPIPE':
			return `the connection to ${address} was closed by the server while sending — reconnecting may help.`;
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
		case 'ENETDOWN':
			return `cannot reach ${address} (no route to host) — check your network connection and the host name.`;
		case 'EADDRNOTAVAIL':
			return `cannot connect to ${address} (address not available) — check the host name.`;
		case 'ERR_SSL_WRONG_VERSION_NUMBER':
		case 'EPROTO':
			return `TLS handshake with ${address} failed — the server may not speak TLS on that port; try without --tls.`;
		default:
			break;
	}

	if (code && certificateCodes.has(code)) {
		return `cannot trust the TLS certificate of ${address} (${code}) — pass the server's CA certificate with --tls-ca, or check the host name.`;
	}

	if (code && (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) {
		return `TLS with ${address} failed (${code}) — check that the server uses TLS and that the certificate matches.`;
	}

	return `lost the connection to ${address}${code ? ` (${code})` : ''} — check that the server is running; the client will keep retrying.`;
}
