import {Box, Text} from 'ink';
import {sanitizeLine} from '../text/sanitize.js';
import {dialogueQuestion, type DialogueState} from './password-dialogue.js';

type Props = {
	/** The dialogue to show: its question and notice, never what is typed. */
	readonly dialogue: DialogueState;
	readonly width: number;
};

/** Rows the prompt takes in place of the input box. */
export function passwordPromptHeight(dialogue: DialogueState): number {
	return dialogue.notice === undefined ? 1 : 2;
}

/**
 * The masked question that takes the input box's place. Not even a star per
 * key is drawn, so the password's length does not show (as sudo and ssh do);
 * the hint says that typing is hidden, so a person does not think it stuck.
 */
export function PasswordPrompt({dialogue, width}: Props) {
	return (
		<Box flexDirection="column" width={width}>
			{dialogue.notice === undefined ? null : (
				<Text color="yellow" wrap="truncate-end">
					{sanitizeLine(dialogue.notice)}
				</Text>
			)}
			<Text wrap="truncate-end">
				<Text bold>{sanitizeLine(dialogueQuestion(dialogue))}</Text>
				<Text dimColor> (hidden as you type; Enter sends, Esc cancels)</Text>
			</Text>
		</Box>
	);
}
