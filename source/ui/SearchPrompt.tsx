import {Text} from 'ink';
import {sanitizeLine} from '../text/sanitize.js';
import {keysFor, type Binding} from './key-bindings.js';
import type {SearchSession} from './search-session.js';

type Props = {
	readonly session: SearchSession;
	/** searchStatus(): "2 of 7", "searching older messages…". */
	readonly status: string;
	/** searchNothingFound(): the status is drawn as a warning. */
	readonly nothingFound: boolean;
	/** The screen's key table (the config file's keys in it), for the keys the line names. */
	readonly bindings: readonly Binding[];
};

/** The keys that move between matches, as the prompt names them: "↑/↓, n/N older/newer". */
function moveHint(session: SearchSession, bindings: readonly Binding[]): string {
	const older = keysFor('searchOlder', bindings).split(', ');
	const newer = keysFor('searchNewer', bindings).split(', ');
	const pairs = older.map((key, index) => `${key}/${newer[index] ?? ''}`);
	// While typing, letters go into the query: only the first keys (not letters) move.
	const keys = session.mode === 'typing' ? pairs[0] : pairs.join(', ');
	return `${keys} older/newer · Enter stays · Esc goes back`;
}

/** The search's line, in place of the input line: the query, where the search is, and its keys. */
export function SearchPrompt({session, status, nothingFound, bindings}: Props) {
	return (
		<Text wrap="truncate-end">
			<Text bold>search: </Text>
			{sanitizeLine(session.query)}
			{session.mode === 'typing' ? <Text inverse> </Text> : null}
			{status === '' ? '' : <Text color={nothingFound ? 'yellow' : undefined}>{`  ${status}`}</Text>}
			<Text dimColor>{`  ${moveHint(session, bindings)}`}</Text>
		</Text>
	);
}
