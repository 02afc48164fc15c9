// Runs the built CLI in a real pseudo-terminal (node-pty) and keeps a screen
// of what it drew (@xterm/headless), as a person would see it. Also keeps
// every byte the program wrote, to check what reached the terminal.
//
//   const screen = spawnCli(['--host', '127.0.0.1', '--port', String(port), '--user', 'alice']);
//   await screen.waitForText('Users (1)');
//   screen.type('hello\r');
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import pty from 'node-pty';
import xterm from '@xterm/headless';

const {Terminal} = xterm;

export const cliPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli.js');

const running = new Set<PtyScreen>();

export type PtyOptions = {cols?: number; rows?: number; env?: Record<string, string>};

export class PtyScreen {
	/** Every byte the program wrote, decoded as UTF-8. */
	output = '';
	exitCode: number | undefined;
	readonly exited: Promise<number>;
	readonly terminal: InstanceType<typeof Terminal>;
	readonly #process: pty.IPty;
	#pendingWrites = 0;

	constructor(args: string[], options: PtyOptions = {}) {
		const cols = options.cols ?? 100;
		const rows = options.rows ?? 30;
		this.terminal = new Terminal({cols, rows, allowProposedApi: true, scrollback: 0});
		this.#process = pty.spawn(process.execPath, [cliPath, ...args], {
			name: 'xterm-256color',
			cols,
			rows,
			cwd: process.cwd(),
			env: {...process.env, FORCE_COLOR: '1', TERM: 'xterm-256color', CI: 'true', ...options.env} as Record<string, string>,
		});
		this.#process.onData(data => {
			this.output += data;
			this.#pendingWrites++;
			this.terminal.write(data, () => {
				this.#pendingWrites--;
			});
		});
		this.exited = new Promise(resolve => {
			this.#process.onExit(({exitCode}) => {
				this.exitCode = exitCode;
				running.delete(this);
				resolve(exitCode);
			});
		});
		running.add(this);
	}

	get pid(): number {
		return this.#process.pid;
	}

	/** The screen as text, one string per row, trailing spaces cut. */
	/** The status bar's row (it starts with its connection dot), or '' while none is drawn. */
	statusBar(): string {
		return this.lines().findLast(line => line.startsWith(' ●')) ?? '';
	}

	lines(): string[] {
		const buffer = this.terminal.buffer.active;
		const lines: string[] = [];
		for (let row = 0; row < this.terminal.rows; row++) {
			lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
		}

		return lines;
	}

	text(): string {
		return this.lines().join('\n');
	}

	/**
	 * The cells where `pattern` first matches a row of the screen (its first
	 * capture group, when it has one), with how each is drawn: to check that
	 * a name is dimmed, say, or a search match marked, rather than only that it is there.
	 */
	cellsMatching(pattern: RegExp): Array<{chars: string; dim: boolean; bold: boolean; inverse: boolean; fg: string; background: number}> | undefined {
		const buffer = this.terminal.buffer.active;
		for (let row = 0; row < this.terminal.rows; row++) {
			const line = buffer.getLine(buffer.viewportY + row);
			if (!line) continue;
			// The row's text with, for each code unit, the cell it is drawn in (wide characters take two cells).
			let text = '';
			const cellAt: number[] = [];
			for (let x = 0; x < line.length; x++) {
				const chars = line.getCell(x)?.getChars() ?? '';
				for (let i = 0; i < chars.length; i++) cellAt.push(x);
				text += chars === '' && line.getCell(x)?.getWidth() !== 0 ? ' ' : chars;
				if (chars === '' && line.getCell(x)?.getWidth() !== 0) cellAt.push(x);
			}
			const match = pattern.exec(text);
			if (!match) continue;
			const found = match[1] ?? match[0];
			const start = match.index + (match[1] === undefined ? 0 : match[0].indexOf(found));
			const cells = [...new Set(cellAt.slice(start, start + found.length))];
			return cells.map(x => {
				const cell = line.getCell(x)!;
				// The background's palette number (3 yellow, 6 cyan, …), or -1 for the terminal's own.
				return {chars: cell.getChars(), dim: cell.isDim() !== 0, bold: cell.isBold() !== 0, inverse: cell.isInverse() !== 0, fg: foreground(cell), background: cell.isBgDefault() ? -1 : cell.getBgColor()};
			});
		}
		return undefined;
	}

	/** True when the terminal shows the alternate screen buffer. */
	isAlternateScreen(): boolean {
		return this.terminal.buffer.active.type === 'alternate';
	}

	type(keys: string): void {
		this.#process.write(keys);
	}

	resize(cols: number, rows: number): void {
		this.#process.resize(cols, rows);
		this.terminal.resize(cols, rows);
	}

	kill(signal = 'SIGTERM'): void {
		try {
			this.#process.kill(signal);
		} catch {
			// Already gone.
		}
	}

	/** Waits until the screen shows `pattern` (and the terminal has parsed all output). */
	async waitForText(pattern: string | RegExp, timeoutMs = 15_000): Promise<void> {
		await this.waitFor(() => {
			const text = this.text();
			return typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
		}, timeoutMs, `the screen to show ${String(pattern)}`);
	}

	async waitFor(condition: () => boolean, timeoutMs = 15_000, what = 'the condition'): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (this.#pendingWrites === 0 && condition()) return;
			if (Date.now() > deadline) {
				throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen shows:\n${this.text()}`);
			}

			await new Promise(resolve => {
				setTimeout(resolve, 25);
			});
		}
	}

	async waitExit(timeoutMs = 15_000): Promise<number> {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`the program did not exit within ${timeoutMs} ms; screen:\n${this.text()}`)), timeoutMs);
		});
		try {
			const code = await Promise.race([this.exited, timeout]);
			// Let the screen catch up with the last bytes written.
			await this.waitFor(() => true, 10_000, 'the screen to settle');
			return code;
		} finally {
			clearTimeout(timer);
		}
	}
}

/** A cell's text colour: "#rrggbb", "palette N" (0-255), or "default". */
function foreground(cell: NonNullable<ReturnType<NonNullable<ReturnType<InstanceType<typeof Terminal>['buffer']['active']['getLine']>>['getCell']>>): string {
	if (cell.isFgRGB()) return '#' + cell.getFgColor().toString(16).padStart(6, '0');
	return cell.isFgPalette() ? `palette ${cell.getFgColor()}` : 'default';
}

export function spawnCli(args: string[], options?: PtyOptions): PtyScreen {
	return new PtyScreen(args, options);
}

/** Kills every pty still running (for afterEach). */
export async function closePtys(): Promise<void> {
	const screens = [...running];
	for (const screen of screens) screen.kill('SIGKILL');
	await Promise.all(screens.map(async screen => screen.exited));
}
