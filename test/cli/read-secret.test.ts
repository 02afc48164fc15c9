// Reading a password on a terminal: the terminal's echo goes off before the
// question shows, so keys typed at the sight of it are never echoed by the
// terminal (in cooked mode the kernel would echo them before we read them).
import {PassThrough, Writable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {readSecret} from '../../source/cli/read-secret.js';

/** A terminal's input and the prompt stream, recording what happens in order. */
function terminal() {
	const happened: string[] = [];
	const input = Object.assign(new PassThrough(), {
		isTTY: true,
		setRawMode(raw: boolean) {
			happened.push(raw ? 'echo off' : 'echo on');
		},
	});
	const prompt = new Writable({
		write(chunk: Buffer, _encoding, done) {
			happened.push(`asked ${JSON.stringify(chunk.toString())}`);
			done();
		},
	});
	return {input, prompt, happened};
}

describe('readSecret on a terminal', () => {
	it('turns echo off before it asks, and on again after the answer', async () => {
		const {input, prompt, happened} = terminal();
		const answer = readSecret(input, prompt, 'Password for ann: ');
		expect(happened).toEqual(['echo off', 'asked "Password for ann: "']);
		input.write('secret\r');
		expect(await answer).toBe('secret');
		expect(happened).toEqual(['echo off', 'asked "Password for ann: "', 'asked "\\n"', 'echo on']);
	});

	it('asks a second question only with echo off again', async () => {
		const {input, prompt, happened} = terminal();
		const first = readSecret(input, prompt, 'Password: ');
		input.write('one\r');
		await first;
		happened.length = 0;
		const second = readSecret(input, prompt, 'Again: ');
		expect(happened).toEqual(['echo off', 'asked "Again: "']);
		input.write('one\r');
		expect(await second).toBe('one');
	});
});
