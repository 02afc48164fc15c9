// Runs the TUI full screen and gives the terminal back on every way out:
// /quit, Ctrl-C, Ctrl-D, the server gone for good, a signal, an uncaught
// error. Ink 6.8 has no alternate-screen option, so it is entered here.
import {render} from 'ink';
import type {ChatClient} from '../client/client.js';
import type {EventBuffer} from '../client/event-buffer.js';
import {ChatScreen} from './ChatScreen.js';
import {withIncrementalFix} from './ink-output-fix.js';
import type {ScreenSettings} from './screen-settings.js';
import {ENTER_ALT_SCREEN, LEAVE_ALT_SCREEN, SHOW_CURSOR, createTerminalHandoff, inputModes} from './terminal-handoff.js';

export type RunTuiOptions = {
	/** The client; runTui starts it after subscribing (unless it was started with an EventBuffer) and ends it. */
	readonly client: ChatClient;
	/** "host:port", shown while connecting. */
	readonly serverLabel: string;
	/** @default process.stdin */
	readonly stdin?: NodeJS.ReadStream;
	/** @default process.stdout */
	readonly stdout?: NodeJS.WriteStream;
	/** Where a last word goes after the terminal is restored. @default process.stderr */
	readonly stderr?: NodeJS.WriteStream;
	/** Events of a client that was started before the interface loaded (see EventBuffer). */
	readonly earlyEvents?: EventBuffer;
	/** A warning shown in red at the top of the pane (e.g. TLS checks are off). */
	readonly warning?: string;
	/** Use the alternate screen (off for debugging). @default true */
	readonly alternateScreen?: boolean;
	/** Let Ink route stray console output around the frame (off in test runners that replace console). @default true */
	readonly patchConsole?: boolean;
	/** This process hosts the room (--serve). @default false */
	readonly hosting?: boolean;
	readonly settings?: ScreenSettings;
};

/**
 * Shows the chat until the user leaves or the server is gone for good.
 * Resolves with the exit code: 0 after /quit, Ctrl-C or Ctrl-D; 1 when the
 * server is gone for good or on an uncaught error; 128 + signal on a signal.
 * Never rejects. The caller exits the process.
 */
export async function runTui(options: RunTuiOptions): Promise<number> {
	const {client, serverLabel} = options;
	const stdin = options.stdin ?? process.stdin;
	const stdout = options.stdout ?? process.stdout;
	const stderr = options.stderr ?? process.stderr;
	const alternateScreen = options.alternateScreen ?? true;
	const mouse = options.settings?.mouseWheel ?? false;
	const modes = inputModes(mouse);

	// A test's stand-in for a terminal may say isTTY without being one.
	const rawCapable = stdin.isTTY && typeof stdin.setRawMode === 'function';
	let restored = false;
	/** Gives the terminal back; safe to call more than once and from an 'exit' handler (synchronous). */
	const restoreTerminal = () => {
		if (restored) return;
		restored = true;
		stdout.write(modes.off + SHOW_CURSOR + (alternateScreen ? LEAVE_ALT_SCREEN : ''));
		if (rawCapable) stdin.setRawMode(false);
	};

	// Ctrl-X Ctrl-E lends the terminal to $EDITOR; Ink's frames are held meanwhile.
	const {handoff, gate} = createTerminalHandoff({stdin, stdout, alternateScreen, mouse});

	if (alternateScreen) stdout.write(ENTER_ALT_SCREEN);
	stdout.write(modes.on);
	// Raw from the first moment: Ink turns raw mode on only in an effect after its first frame,
	// and a Ctrl-C typed before that would reach us as SIGINT (exit 130) instead of the key that
	// leaves cleanly with 0. Ink turns it off again when it unmounts.
	if (rawCapable) stdin.setRawMode(true);

	return new Promise<number>(resolve => {
		let finished = false;
		// Declared before render: an exit can be requested while rendering.
		let instance: ReturnType<typeof render> | undefined;

		const finish = (code: number, message?: string) => {
			if (finished) return;
			finished = true;
			removeHandlers();
			client.close();
			try {
				instance?.unmount();
			} catch {
				// Unmounting a broken tree must not keep the terminal from being restored.
			}
			restoreTerminal();
			if (message) stderr.write(message.endsWith('\n') ? message : message + '\n');
			resolve(code);
		};

		const onSignal = (signal: NodeJS.Signals) => {
			// Ctrl-C typed into the editor reaches us too (same process group): it is the editor's.
			if (signal === 'SIGINT' && handoff.lent()) return;
			const numbers: Partial<Record<NodeJS.Signals, number>> = {SIGINT: 2, SIGHUP: 1, SIGTERM: 15};
			finish(128 + (numbers[signal] ?? 0));
		};
		const onFatal = (error: unknown) => {
			const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
			finish(1, `codechat-tui: unexpected error: ${text}`);
		};
		const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
		for (const signal of signals) process.on(signal, onSignal);
		process.on('uncaughtException', onFatal);
		process.on('unhandledRejection', onFatal);
		// Last resort: whatever ends the process, the terminal comes back.
		process.on('exit', restoreTerminal);
		const removeHandlers = () => {
			process.off('uncaughtException', onFatal);
			process.off('unhandledRejection', onFatal);
			process.off('exit', restoreTerminal);
			// The signal listeners stay until the signal being handled has reached every listener:
			// Ink's signal-exit, finding itself the last one, raises the signal again and so kills
			// the process before the caller can close the transcript or a hosted server and exit
			// with 128 + signal. Once gone, a second signal kills at once, as a person expects.
			setImmediate(() => {
				for (const signal of signals) process.off(signal, onSignal);
			});
		};

		try {
			const screen = (
				<ChatScreen
					client={client}
					serverLabel={serverLabel}
					warning={options.warning}
					earlyEvents={options.earlyEvents}
					onExit={finish}
					hosting={options.hosting}
					terminal={handoff}
					settings={options.settings}
				/>
			);
			instance = render(screen, {
				stdin,
				// See ink-output-fix.ts: Ink 6.8's incremental renderer draws one row too low without it.
				stdout: gate(withIncrementalFix(stdout)),
				stderr,
				// Ctrl-C is ours: it sends exit and restores the terminal like /quit.
				exitOnCtrlC: false,
				patchConsole: options.patchConsole ?? true,
				// Chat traffic reaches the screen at most 30 times a second (use-chat.ts folds it
				// into one update per 33 ms). Ink's own cap is higher so that a keypress is echoed
				// at once instead of waiting for the next 30 fps slot (bench: typing latency).
				maxFps: 120,
				incrementalRendering: true,
			});
			// A render error unmounts Ink with the error.
			instance.waitUntilExit().then(
				() => {
					finish(0);
				},
				(error: unknown) => {
					onFatal(error);
				},
			);
		} catch (error) {
			onFatal(error);
		}
	});
}
