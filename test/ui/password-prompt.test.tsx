// The prompt as drawn, fed through stdin like a terminal: the question and
// notice show, what is typed never does, and the answers reach the caller.
import {Box} from 'ink';
import {cleanup, render} from 'ink-testing-library';
import {useEffect} from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import type {DialogueAnswer} from '../../source/ui/password-dialogue.js';
import {PasswordPrompt} from '../../source/ui/PasswordPrompt.js';
import {usePasswordDialogue} from '../../source/ui/use-password-dialogue.js';
import {useTerminalInput} from '../../source/ui/use-terminal-input.js';
import {waitUntil} from '../helpers/server.js';
import {plain} from './helpers.js';

afterEach(() => {
	cleanup();
});

function Harness({onDone, onCancel, passedOn}: {onDone: (answer: DialogueAnswer) => void; onCancel: () => void; passedOn: string[]}) {
	const dialogue = usePasswordDialogue();
	useEffect(() => {
		dialogue.open({purpose: 'register', name: 'alice', notice: 'choose a password', onDone, onCancel});
	}, []);
	useTerminalInput(item => {
		if (!dialogue.input(item)) passedOn.push(item.kind === 'key' ? item.key.sequence : item.kind === 'paste' ? item.text : 'mouse');
	});
	return <Box>{dialogue.current ? <PasswordPrompt dialogue={dialogue.current} width={80} /> : null}</Box>;
}

describe('PasswordPrompt', () => {
	it('draws the question and never a character of the password, then hands the answer over', async () => {
		const answers: DialogueAnswer[] = [];
		const passedOn: string[] = [];
		const app = render(<Harness onDone={answer => answers.push(answer)} onCancel={() => {}} passedOn={passedOn} />);
		const screen = () => plain(app.lastFrame());
		await waitUntil(() => screen().includes('New password to register alice:'), 15_000, 'the question');
		expect(screen()).toContain('choose a password');
		for (const char of 'zebra-quartz') {
			app.stdin.write(char);
			await new Promise(resolve => setImmediate(resolve));
		}

		app.stdin.write('\r');
		await waitUntil(() => screen().includes('The same password again:'), 15_000, 'the second question');
		app.stdin.write('zebra-quartz\r');
		await waitUntil(() => answers.length === 1, 15_000, 'the answer');
		expect(answers).toEqual([{purpose: 'register', password: 'zebra-quartz'}]);
		for (const frame of app.frames) {
			expect(frame).not.toContain('zebra');
			expect(frame).not.toContain('*');
		}

		// Once answered, keys go back to the caller.
		app.stdin.write('x');
		await waitUntil(() => passedOn.includes('x'), 15_000, 'the key passed on');
		expect(passedOn).toEqual(['x']);
	});

	it('Esc cancels and closes the prompt', async () => {
		let cancelled = 0;
		const app = render(<Harness onDone={() => {}} onCancel={() => cancelled++} passedOn={[]} />);
		await waitUntil(() => plain(app.lastFrame()).includes('New password'), 15_000, 'the question');
		app.stdin.write('\x1b');
		await waitUntil(() => cancelled === 1, 15_000, 'the cancel');
		await waitUntil(() => !plain(app.lastFrame()).includes('New password'), 15_000, 'the prompt gone');
	});
});
