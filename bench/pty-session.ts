// The built CLI in a real pseudo-terminal, measured from outside: bytes and
// frames it writes (a frame is one synchronized-output block, ESC[?2026h,
// which Ink opens around every render), when they came, and its CPU and RSS
// from /proc. A headless xterm keeps the screen, for waits on what is shown.
import path from 'node:path';
import pty from 'node-pty';
import xterm from '@xterm/headless';
import {cpuMs, rssBytes} from './proc.js';

const {Terminal} = xterm;
const frameStart = '\u001B[?2026h';

export const cliPath = path.resolve('dist/cli.js');

export type SessionOptions = {
	cols?: number;
	rows?: number;
	args: string[];
	screen?: boolean;
	/** Flags for node itself, e.g. --cpu-prof. */
	nodeArgs?: string[];
	/** The CLI to run. @default cliPath */
	cli?: string;
};

export class PtySession {
	readonly startedAt = performance.now();
	bytes = 0;
	frames = 0;
	/** performance.now() of every frame start. */
	readonly frameTimes: number[] = [];
	lastDataAt = performance.now();
	output = '';
	keepOutput = true;
	readonly #process: pty.IPty;
	readonly #terminal: InstanceType<typeof Terminal> | undefined;
	readonly #listeners = new Set<(data: string, time: number) => void>();
	readonly exited: Promise<number>;

	constructor(options: SessionOptions) {
		const cols = options.cols ?? 100;
		const rows = options.rows ?? 30;
		if (options.screen !== false) this.#terminal = new Terminal({cols, rows, allowProposedApi: true, scrollback: 0});
		const env = {...process.env, TERM: 'xterm-256color', FORCE_COLOR: '1'} as Record<string, string>;
		// Ink skips synchronized output under CI; a person's terminal is not CI.
		delete env.CI;
		this.#process = pty.spawn(process.execPath, [...(options.nodeArgs ?? []), options.cli ?? cliPath, ...options.args], {name: 'xterm-256color', cols, rows, cwd: process.cwd(), env});
		this.#process.onData(data => {
			const time = performance.now();
			this.lastDataAt = time;
			this.bytes += Buffer.byteLength(data);
			let at = data.indexOf(frameStart);
			while (at !== -1) {
				this.frames++;
				this.frameTimes.push(time);
				at = data.indexOf(frameStart, at + frameStart.length);
			}

			if (this.keepOutput) this.output += data;
			this.#terminal?.write(data);
			for (const listener of this.#listeners) listener(data, time);
		});
		this.exited = new Promise(resolve => {
			this.#process.onExit(({exitCode}) => resolve(exitCode));
		});
	}

	get pid(): number {
		return this.#process.pid;
	}

	cpuMs(): number {
		return cpuMs(this.pid);
	}

	rssBytes(): number {
		return rssBytes(this.pid);
	}

	type(keys: string): void {
		this.#process.write(keys);
	}

	resize(cols: number, rows: number): void {
		this.#process.resize(cols, rows);
		this.#terminal?.resize(cols, rows);
	}

	/** The screen as text (needs the headless terminal). */
	async screen(): Promise<string> {
		const terminal = this.#terminal;
		if (!terminal) return '';
		// Let xterm parse what it has been given.
		await new Promise<void>(resolve => terminal.write('', resolve));
		const buffer = terminal.buffer.active;
		const lines: string[] = [];
		for (let row = 0; row < terminal.rows; row++) lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
		return lines.join('\n');
	}

	/** Calls `listener` for every chunk until it returns true; resolves with that chunk's time. */
	async until(listener: (data: string, time: number) => boolean, timeoutMs = 30_000): Promise<number> {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#listeners.delete(wrapped);
				reject(new Error(`timed out after ${timeoutMs} ms`));
			}, timeoutMs);
			const wrapped = (data: string, time: number) => {
				if (!listener(data, time)) return;
				clearTimeout(timer);
				this.#listeners.delete(wrapped);
				resolve(time);
			};

			this.#listeners.add(wrapped);
		});
	}

	/** Resolves when the output so far contains `text` (needs keepOutput). */
	async waitForOutput(text: string, timeoutMs = 15_000): Promise<number> {
		if (this.output.includes(text)) return performance.now();
		return this.until(() => this.output.includes(text), timeoutMs);
	}

	async waitForScreen(text: string | RegExp, timeoutMs = 15_000): Promise<void> {
		const deadline = performance.now() + timeoutMs;
		for (;;) {
			const screen = await this.screen();
			if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return;
			if (performance.now() > deadline) throw new Error(`the screen never showed ${String(text)}; it shows:\n${screen}`);
			await new Promise(resolve => setTimeout(resolve, 20));
		}
	}

	/** Resolves once nothing has arrived for `quietMs`, counted from now at the earliest. */
	async quiet(quietMs = 300, timeoutMs = 60_000): Promise<void> {
		const calledAt = performance.now();
		const deadline = calledAt + timeoutMs;
		while (performance.now() - Math.max(this.lastDataAt, calledAt) < quietMs) {
			if (performance.now() > deadline) throw new Error('the program never went quiet');
			await new Promise(resolve => setTimeout(resolve, 25));
		}
	}

	async stop(): Promise<void> {
		try {
			this.#process.kill('SIGKILL');
		} catch {}

		await this.exited;
	}
}

/** Starts the TUI against `port` and waits until it has drawn the connected line. */
export async function startTui(port: number, options: Partial<SessionOptions> = {}): Promise<PtySession> {
	const session = new PtySession({...options, args: ['--host', '127.0.0.1', '--port', String(port), '--user', 'bench', ...(options.args ?? [])]});
	try {
		await session.waitForOutput(`connected to 127.0.0.1:${port}`);
	} catch (error) {
		await session.stop();
		throw error;
	}

	return session;
}
