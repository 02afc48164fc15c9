import {describe, expect, it} from 'vitest';
import {decodeKey} from '../../source/ui/keys.js';
import type {InputItem} from '../../source/ui/input-stream.js';
import {dialogueInput, dialogueQuestion, startDialogue, type DialogueOutcome, type DialogueState} from '../../source/ui/password-dialogue.js';

const key = (sequence: string): InputItem => ({kind: 'key', key: decodeKey(sequence)});

/** Types `keys` one event each (text as one event per run between specials). */
function feed(state: DialogueState, items: InputItem[]): DialogueOutcome {
	let outcome: DialogueOutcome = {kind: 'typing', state};
	for (const item of items) {
		if (outcome.kind !== 'typing') throw new Error(`input after the dialogue ended: ${JSON.stringify(item)}`);
		outcome = dialogueInput(outcome.state, item);
	}

	return outcome;
}

const typed = (text: string): InputItem[] => [key(text), key('\r')];
const typingState = (outcome: DialogueOutcome): DialogueState => {
	if (outcome.kind !== 'typing') throw new Error(`expected typing, got ${outcome.kind}`);
	return outcome.state;
};

describe('password dialogue', () => {
	it('a login asks once and answers with what was typed', () => {
		const start = startDialogue('login', 'alice', 'alice is registered on this server');
		expect(dialogueQuestion(start)).toBe('Password for alice:');
		expect(feed(start, typed('correct horse'))).toEqual({kind: 'done', answer: {purpose: 'login', password: 'correct horse'}});
	});

	it('/register asks twice; two different answers start the new password over', () => {
		const start = startDialogue('register', 'alice');
		const mismatch = typingState(feed(start, [...typed('first password'), ...typed('other password')]));
		expect(mismatch.notice).toBe('the two passwords differ; type the new one again');
		expect(dialogueQuestion(mismatch)).toBe('New password to register alice:');
		expect(mismatch.typed).toBe('');
		expect(feed(mismatch, [...typed('second password'), ...typed('second password')])).toEqual({kind: 'done', answer: {purpose: 'register', password: 'second password'}});
	});

	it('/password asks for the current one, then the new one twice', () => {
		const start = startDialogue('change', 'alice');
		const steps: string[] = [];
		let outcome: DialogueOutcome = {kind: 'typing', state: start};
		for (const answer of ['old password', 'new password', 'new password']) {
			steps.push(dialogueQuestion(typingState(outcome)));
			outcome = feed(typingState(outcome), typed(answer));
		}

		expect(steps).toEqual(['Current password for alice:', 'New password for alice:', 'The same password again:']);
		expect(outcome).toEqual({kind: 'done', answer: {purpose: 'change', oldPassword: 'old password', newPassword: 'new password'}});
	});

	it('refuses a password of under 8 characters locally, without quoting it', () => {
		const short = typingState(feed(startDialogue('register', 'alice'), typed('short')));
		expect(short.notice).toBe('a password has 8 to 1,024 characters; try again');
		expect(short.step).toBe(0);
		expect(JSON.stringify(short)).not.toContain('short"');
	});

	it('edits with Backspace and Ctrl-U, and ignores arrows, Tab and other control keys', () => {
		const outcome = feed(startDialogue('login', 'alice'), [key('wrong'), key('\u0015'), key('secret-x'), key('\u007f'), key('\x1b[D'), key('\t'), key('\u0001'), key('y1'), key('\r')]);
		expect(outcome).toEqual({kind: 'done', answer: {purpose: 'login', password: 'secret-y1'}});
	});

	it('Esc, Ctrl-C, and Ctrl-D on an empty field cancel', () => {
		expect(feed(startDialogue('login', 'alice'), [key('abc'), key('\x1b')])).toEqual({kind: 'cancelled'});
		expect(feed(startDialogue('login', 'alice'), [key('abc'), key('\u0003')])).toEqual({kind: 'cancelled'});
		expect(feed(startDialogue('login', 'alice'), [key('\u0004')])).toEqual({kind: 'cancelled'});
		expect(typingState(feed(startDialogue('login', 'alice'), [key('abc'), key('\u0004')])).typed).toBe('abc');
	});

	it('an Enter inside one read of text answers, and what follows goes to the next question, never past the end', () => {
		const outcome = feed(startDialogue('register', 'alice'), [key('pass word 1\rpass word 1\rleftover chat text')]);
		expect(outcome).toEqual({kind: 'done', answer: {purpose: 'register', password: 'pass word 1'}});
		const pasted = feed(startDialogue('login', 'alice'), [{kind: 'paste', text: 'from a manager\n'}]);
		expect(pasted).toEqual({kind: 'done', answer: {purpose: 'login', password: 'from a manager'}});
	});

	it('Enter on an empty field only reminds', () => {
		const state = typingState(feed(startDialogue('login', 'alice'), [key('\r')]));
		expect(state.notice).toBe('type the password, then Enter (Esc cancels)');
	});
});
