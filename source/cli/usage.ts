// Reading numbers from flags, with the one-line errors a person sees (exit 2).

/** Bad command-line input: its message is shown as is. */
export class UsageError extends Error {}

/** Reads a port from a flag or variable; `source` names it in the error. */
export function parsePort(text: string, source: string): number {
	const trimmed = text.trim();
	const port = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		throw new UsageError(`${source} must be a port number from 1 to 65535, not "${text}"`);
	}

	return port;
}

/** Reads a whole number of at least `minimum`; undefined stays undefined (the default applies). */
export function parseCount(text: string | undefined, flag: string, minimum: number): number | undefined {
	if (text === undefined) return undefined;
	const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
	if (!Number.isSafeInteger(value) || value < minimum) {
		throw new UsageError(`${flag} must be a whole number of at least ${minimum}, not "${text}"`);
	}

	return value;
}
