// Ctrl-X Ctrl-E: the draft goes to $EDITOR on a lent terminal and comes back
// into the input box, unsent; a failure leaves the draft and says why.
import {useStdout} from 'ink';
import {useCallback, useRef} from 'react';
import {sanitizeLine} from '../text/sanitize.js';
import {editInExternalEditor} from './external-editor.js';
import type {TerminalHandoff} from './terminal-handoff.js';
import type {InputEditor} from './use-input-editor.js';

export function useExternalEditor(terminal: TerminalHandoff | undefined, input: InputEditor): () => Promise<void> {
	const {write: writeAroundFrame} = useStdout();
	const latest = useRef({terminal, input, writeAroundFrame});
	latest.current = {terminal, input, writeAroundFrame};

	return useCallback(async () => {
		const {terminal: lender, input: box, writeAroundFrame: redraw} = latest.current;
		if (!lender) {
			box.apply({type: 'notice', text: 'no terminal to hand to an editor here'});
			return;
		}
		if (lender.lent()) return;
		const draft = box.current().text;
		const outcome = await lender.lend(async () => editInExternalEditor(draft));
		// The screen was the editor's: Ink clears what it drew and draws the whole frame again.
		redraw('');
		// The reason may quote $VISUAL, which is text from outside.
		box.apply(outcome.ok ? {type: 'replace', text: outcome.text} : {type: 'notice', text: sanitizeLine(outcome.why)});
	}, []);
}
