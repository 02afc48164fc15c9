// Renders through Ink's real incremental renderer into a headless xterm and
// compares the screen with the frame, with and without the fix.
import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import xterm from '@xterm/headless';
import {Box, Text, render} from 'ink';
import {fixIncrementalChunk, withIncrementalFix} from '../../source/ui/ink-output-fix.js';

const isInCi = ['CI', 'CONTINUOUS_INTEGRATION'].some(key => key in process.env && process.env[key] !== '0' && process.env[key] !== 'false');

/** A TTY-like stream that feeds a headless terminal. */
function fakeTerminal(columns: number, rows: number) {
	const terminal = new xterm.Terminal({cols: columns, rows, allowProposedApi: true, scrollback: 0});
	let pending = 0;
	const stream = Object.assign(new EventEmitter(), {
		isTTY: true,
		columns,
		rows,
		write(chunk: string) {
			pending++;
			// The tty driver turns LF into CR LF (onlcr); do the same.
			terminal.write(chunk.replace(/\r?\n/g, '\r\n'), () => {
				pending--;
			});
			return true;
		},
	});
	const settled = async () => {
		while (pending > 0) await new Promise(resolve => setTimeout(resolve, 5));
	};
	const screen = () => {
		const lines: string[] = [];
		for (let row = 0; row < rows; row++) lines.push(terminal.buffer.active.getLine(row)?.translateToString(true) ?? '');
		return lines;
	};
	return {stream: stream as unknown as NodeJS.WriteStream, settled, screen};
}

function Frame({rows, tick}: {rows: number; tick: number}) {
	return (
		<Box flexDirection="column" height={rows}>
			{Array.from({length: rows}, (_, i) => (
				<Text key={i}>{i === 2 ? `changing ${tick}` : `row ${i}`}</Text>
			))}
		</Box>
	);
}

async function renderTicks(fix: boolean, frameRows: number, terminalRows: number) {
	const {stream, settled, screen} = fakeTerminal(40, terminalRows);
	const stdin = Object.assign(new EventEmitter(), {isTTY: false, setRawMode() {}, setEncoding() {}, ref() {}, unref() {}, read: () => null}) as unknown as NodeJS.ReadStream;
	const instance = render(<Frame rows={frameRows} tick={0} />, {
		stdout: fix ? withIncrementalFix(stream) : stream,
		stdin,
		incrementalRendering: true,
		patchConsole: false,
		exitOnCtrlC: false,
		maxFps: 1000,
	});
	for (let tick = 1; tick <= 3; tick++) {
		await new Promise(resolve => setTimeout(resolve, 20));
		instance.rerender(<Frame rows={frameRows} tick={tick} />);
	}
	await new Promise(resolve => setTimeout(resolve, 50));
	await settled();
	const lines = screen();
	instance.unmount();
	return lines;
}

describe('fixIncrementalChunk', () => {
	it('adds the missing row to the incremental renderer\'s first move up, and nothing else', () => {
		expect(fixIncrementalChunk('\x1b[18A\x1b[E\x1b[E')).toBe('\x1b[19A\x1b[E\x1b[E');
		expect(fixIncrementalChunk('\x1b[3A\x1b[1Gtext')).toBe('\x1b[4A\x1b[1Gtext');
		expect(fixIncrementalChunk('\x1b[0A\x1b[1Gx')).toBe('\x1b[1A\x1b[1Gx');
		expect(fixIncrementalChunk('\x1b[2K\x1b[1A\x1b[2K\x1b[G')).toBe('\x1b[2K\x1b[1A\x1b[2K\x1b[G');
		expect(fixIncrementalChunk('row 0\nrow 1\n')).toBe('row 0\nrow 1\n');
		expect(fixIncrementalChunk('\x1b[3Ahello')).toBe('\x1b[3Ahello');
	});
});

describe.skipIf(isInCi)('Ink incremental rendering on a real terminal emulator', () => {
	const expected = (rows: number) => Array.from({length: rows}, (_, i) => (i === 2 ? 'changing 3' : `row ${i}`));

	it('draws every update in place with the fix (frame one row shorter than the terminal)', async () => {
		const lines = await renderTicks(true, 11, 12);
		expect(lines.slice(0, 11)).toEqual(expected(11));
	});

	it('is needed: without it Ink 6.8 draws updates one row too low', async () => {
		const lines = await renderTicks(false, 11, 12);
		// If this starts failing, Ink has fixed the count: drop ink-output-fix.ts.
		expect(lines.slice(0, 11)).not.toEqual(expected(11));
	});

	it('also holds for a short frame at the top of a tall terminal', async () => {
		const lines = await renderTicks(true, 5, 20);
		expect(lines.slice(0, 5)).toEqual(expected(5));
	});
});
