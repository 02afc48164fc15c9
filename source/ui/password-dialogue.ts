// The masked password questions of PROTOCOL.md §11 as a pure reducer: a
// login asks once, /register asks twice, /password asks for the current
// password and then the new one twice. Keys in, the next question or the
// answers out. Nothing typed is echoed, kept in a history, or put in a
// notice; the answers leave only in the `done` outcome.
import {passwordProblem} from '../protocol/password-rules.js';
import type {InputItem} from './input-stream.js';

export type DialoguePurpose = 'login' | 'register' | 'change';

export type DialogueAnswer =
	| {purpose: 'login'; password: string}
	| {purpose: 'register'; password: string}
	| {purpose: 'change'; oldPassword: string; newPassword: string};

type Step = 'password' | 'current' | 'new' | 'again';

const steps = {
	login: ['password'],
	register: ['new', 'again'],
	change: ['current', 'new', 'again'],
} as const satisfies Record<DialoguePurpose, readonly Step[]>;

export type DialogueState = {
	readonly purpose: DialoguePurpose;
	/** Who the password is for, for the question. */
	readonly name: string;
	readonly step: number;
	/** What is typed for this step; never drawn. */
	readonly typed: string;
	/** The steps answered so far, in order. */
	readonly answers: readonly string[];
	/** One line above the question: why we ask again (wrong password, a wait), or a hint. */
	readonly notice?: string;
};

export type DialogueOutcome = {kind: 'typing'; state: DialogueState} | {kind: 'done'; answer: DialogueAnswer} | {kind: 'cancelled'};

/** A fresh dialogue; `notice` says why it opens (e.g. "wrong password: try again"). */
export function startDialogue(purpose: DialoguePurpose, name: string, notice?: string): DialogueState {
	return {purpose, name, step: 0, typed: '', answers: [], notice};
}

/** The question of the current step. */
export function dialogueQuestion(state: DialogueState): string {
	const step: Step = steps[state.purpose][state.step]!;
	switch (step) {
		case 'password':
			return `Password for ${state.name}:`;
		case 'current':
			return `Current password for ${state.name}:`;
		case 'new':
			return state.purpose === 'register' ? `New password to register ${state.name}:` : `New password for ${state.name}:`;
		case 'again':
			return 'The same password again:';
		default: {
			const unknown: never = step;
			throw new Error(`unknown step ${String(unknown)}`);
		}
	}
}

/** Applies one key or paste. Text after an Enter goes on to the next question, and is dropped once the dialogue ends. */
export function dialogueInput(state: DialogueState, item: InputItem): DialogueOutcome {
	if (item.kind === 'paste') return typeText(state, item.text);
	// The wheel has nothing to scroll here, and is never typed text.
	if (item.kind === 'mouse') return typing(state);
	const {key} = item;
	switch (key.name) {
		case 'text':
			return typeText(state, key.text);
		case 'return':
			return submit(state);
		case 'backspace':
			return typing({...state, typed: [...state.typed].slice(0, -1).join('')});
		case 'escape':
			return {kind: 'cancelled'};
		case 'char': {
			if (!key.ctrl) return typing(state);
			if (key.text === 'c' || (key.text === 'd' && state.typed === '')) return {kind: 'cancelled'};
			if (key.text === 'u') return typing({...state, typed: ''});
			if (key.text === 'm' || key.text === 'j') return submit(state);
			return typing(state);
		}

		default:
			return typing(state);
	}
}

function typing(state: DialogueState): DialogueOutcome {
	return {kind: 'typing', state};
}

function typeText(state: DialogueState, text: string): DialogueOutcome {
	const [first, ...rest] = text.split(/\r\n|\r|\n/);
	let outcome: DialogueOutcome = typing({...state, typed: state.typed + printable(first!)});
	for (const piece of rest) {
		if (outcome.kind !== 'typing') return outcome;
		outcome = submit(outcome.state);
		if (outcome.kind === 'typing') outcome = typing({...outcome.state, typed: outcome.state.typed + printable(piece)});
	}

	return outcome;
}

/** Control characters are no part of a password (terminals send them for keys). */
function printable(text: string): string {
	return text.replaceAll(/[\p{Cc}]/gu, '');
}

function submit(state: DialogueState): DialogueOutcome {
	const step: Step = steps[state.purpose][state.step]!;
	const {typed} = state;
	if (typed === '') return typing({...state, notice: 'type the password, then Enter (Esc cancels)'});
	// Checked before sending: the server would refuse it anyway, and a typo of length is caught at once.
	const problem = passwordProblem(typed);
	if (problem !== undefined) return typing({...state, typed: '', notice: `${problem}; try again`});
	if (step === 'again' && typed !== state.answers.at(-1)) {
		return typing({...state, step: state.step - 1, typed: '', answers: state.answers.slice(0, -1), notice: 'the two passwords differ; type the new one again'});
	}

	const answers = [...state.answers, typed];
	if (state.step + 1 < steps[state.purpose].length) return typing({...state, step: state.step + 1, typed: '', answers, notice: undefined});
	return {kind: 'done', answer: answerOf(state.purpose, answers)};
}

function answerOf(purpose: DialoguePurpose, answers: readonly string[]): DialogueAnswer {
	switch (purpose) {
		case 'login':
			return {purpose, password: answers[0]!};
		case 'register':
			return {purpose, password: answers[0]!};
		case 'change':
			return {purpose, oldPassword: answers[0]!, newPassword: answers[1]!};
		default: {
			const unknown: never = purpose;
			throw new Error(`unknown purpose ${String(unknown)}`);
		}
	}
}
