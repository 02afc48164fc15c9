// Reading the PEM files that TLS options name, with errors a person can act on.
import {readFileSync} from 'node:fs';

export function readPemFile(file: string, what: string, flag: string): Buffer {
	let contents: Buffer;
	try {
		contents = readFileSync(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? 'error';
		throw new Error(`cannot read the ${what} ${file} given to ${flag} (${code}) — check the path`);
	}

	if (!contents.includes('-----BEGIN ')) throw new Error(`${file} given to ${flag} is not a PEM file (no "-----BEGIN" line)`);
	return contents;
}
