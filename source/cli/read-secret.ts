// Reading a password for the operator's command: on a terminal, masked (raw
// mode, nothing echoed, not even stars, so its length does not show); from a
// pipe, the first line, for scripts. Ctrl-C and Ctrl-D cancel.

/** The person pressed Ctrl-C or Ctrl-D, or the input ended before a line. */
export class SecretCancelled extends Error {}

type TtyInput = NodeJS.ReadableStream & {isTTY?: boolean; setRawMode?: (raw: boolean) => unknown};

// Keys that arrive as escape sequences (arrows, function keys, bracketed-paste marks) are not part of a password.
const escapeSequence = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|O.|.)?/gu;

/** Asks on `prompt` (stderr, so stdout stays the command's result) and reads one secret from `input`. */
export async function readSecret(input: TtyInput, prompt: NodeJS.WritableStream, question: string): Promise<string> {
	if (input.isTTY && input.setRawMode) return readMasked(input, prompt, question);
	return readLine(input);
}

async function readMasked(input: TtyInput, prompt: NodeJS.WritableStream, question: string): Promise<string> {
	// Echo off before the question shows: keys typed at the sight of it, in cooked mode, the terminal itself would echo.
	input.setRawMode!(true);
	prompt.write(question);
	input.setEncoding('utf8');
	input.resume();
	try {
		return await new Promise<string>((resolve, reject) => {
			let secret = '';
			const onData = (chunk: string) => {
				for (const char of chunk.replace(escapeSequence, '')) {
					if (char === '\r' || char === '\n') return finish(() => resolve(secret));
					if (char === '\u0003' || (char === '\u0004' && secret === '')) return finish(() => reject(new SecretCancelled('cancelled')));
					if (char === '\u007f' || char === '\b') secret = [...secret].slice(0, -1).join('');
					else if (char === '\u0015') secret = '';
					else if (char >= ' ') secret += char;
				}
			};

			const finish = (settle: () => void) => {
				input.off('data', onData);
				prompt.write('\n');
				settle();
			};

			input.on('data', onData);
		});
	} finally {
		input.setRawMode!(false);
		input.pause();
	}
}

async function readLine(input: NodeJS.ReadableStream): Promise<string> {
	return new Promise<string>((resolve, reject) => {
		const chunks: Buffer[] = [];
		const done = (error?: Error) => {
			input.off('data', onData);
			input.off('end', onEnd);
			input.off('error', done);
			input.pause();
			if (error) return reject(error);
			const text = Buffer.concat(chunks).toString('utf8');
			const end = text.indexOf('\n');
			if (end === -1 && text === '') return reject(new SecretCancelled('no password on standard input'));
			resolve((end === -1 ? text : text.slice(0, end)).replace(/\r$/, ''));
		};

		const onData = (chunk: Buffer | string) => {
			chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
			if (chunks.at(-1)!.includes(0x0a)) done();
		};

		const onEnd = () => done();
		input.on('data', onData);
		input.on('end', onEnd);
		input.on('error', done);
		input.resume();
	});
}
