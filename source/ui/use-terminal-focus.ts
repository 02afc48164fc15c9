// Whether the terminal window has focus, from its focus reports (mode 1004,
// notify/focus.ts): true until it says otherwise, as one that never reports does.
import {useState} from 'react';
import {focusReport} from '../notify/focus.js';
import {useRawInput} from './use-terminal-input.js';

export function useTerminalFocus(): boolean {
	const [focused, setFocused] = useState(true);
	useRawInput(input => {
		const report = focusReport(input);
		if (report !== undefined) setFocused(report);
	});
	return focused;
}
