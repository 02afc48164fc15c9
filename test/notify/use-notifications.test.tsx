// The hook, mounted: each new alert announced once, focus read from the
// terminal's reports, and the desktop limit kept per conversation.
import {Text} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import type {Alert} from '../../source/notify/alert.js';
import type {NotifyOutput} from '../../source/notify/notify-method.js';
import {useNotifications} from '../../source/ui/use-notifications.js';
import {useTerminalFocus} from '../../source/ui/use-terminal-focus.js';
import {useRawInput} from '../../source/ui/use-terminal-input.js';
import {waitUntil} from '../helpers/server.js';


afterEach(() => {
	cleanup();
});

const output: NotifyOutput = {sequence: 'osc9', tmux: false};

/** Raw input the probe has been handed, after the hook (whose listener comes first) has been. */
const handedOn: string[] = [];

function Probe({alert, shown, clock}: {alert?: Alert; shown: string; clock: () => number}) {
	useNotifications(alert, shown, useTerminalFocus(), output, clock);
	useRawInput(input => handedOn.push(input));
	return <Text>probe</Text>;
}

/** Types a focus report and waits until Ink has handed it on (it does so after the write returns). */
async function report(app: ReturnType<typeof render>, sequence: string): Promise<void> {
	const before = handedOn.filter(input => input === sequence).length;
	app.stdin.write(sequence);
	await waitUntil(() => handedOn.filter(input => input === sequence).length > before, 15_000, `the report ${JSON.stringify(sequence)} to be handed on`);
}

const alert = (id: number, conversation: string): Alert => ({id, kind: 'mention', conversation, where: conversation, from: 'bob', text: `ann ${id}`});

describe('useNotifications', () => {
	it('announces each new alert once, and keeps the desktop limit per conversation', async () => {
		let now = 1_000_000;
		const clock = () => now;
		const existing = alert(1, '#lobby');
		const app = render(<Probe alert={existing} shown="#lobby" clock={clock} />);
		const written = () => app.stdout.frames.filter(frame => frame !== '' && !frame.includes('probe'));
		// The one there at mount is old news; a re-render with the same one says nothing.
		app.rerender(<Probe alert={existing} shown="#lobby" clock={clock} />);
		expect(written()).toEqual([]);

		// Looking at the room: the bell.
		app.rerender(<Probe alert={alert(2, '#lobby')} shown="#lobby" clock={clock} />);
		expect(written()).toEqual(['\x07']);

		await report(app, '\x1b[O');
		app.rerender(<Probe alert={alert(3, '#lobby')} shown="#lobby" clock={clock} />);
		await waitUntil(() => written().length === 2, 15_000, 'the notification');
		expect(written()[1]).toBe('\x1b]9;bob in #lobby: ann 3\x07');

		// Within the limit: nothing more for #lobby, but #ops and a direct message still notify.
		now += 1000;
		app.rerender(<Probe alert={alert(4, '#lobby')} shown="#lobby" clock={clock} />);
		app.rerender(<Probe alert={alert(5, '#ops')} shown="#lobby" clock={clock} />);
		app.rerender(<Probe alert={{...alert(6, 'carol'), kind: 'direct', from: 'carol'}} shown="#lobby" clock={clock} />);
		expect(written().slice(2)).toEqual(['\x1b]9;bob in #ops: ann 5\x07', '\x1b]9;carol, to you: ann 6\x07']);

		// Focus back: the bell again.
		await report(app, '\x1b[I');
		app.rerender(<Probe alert={alert(7, '#lobby')} shown="#lobby" clock={clock} />);
		expect(written().at(-1)).toBe('\x07');
		expect(written()).toHaveLength(5);
	});
});
