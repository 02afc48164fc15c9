// Which line of a TOML file sets a key. The TOML parser gives positions only
// for syntax errors; a value of the wrong kind or an unknown key is found
// after parsing, so its line is looked up here, from the file's text, to name
// it in the one-line error. A line scanner is enough: it follows [table]
// headers and dotted keys, and skips the insides of multi-line strings.

const BARE_KEY = String.raw`[A-Za-z0-9_-]+`;
const BASIC_KEY = String.raw`"(?:[^"\\]|\\.)*"`;
const LITERAL_KEY = String.raw`'[^']*'`;
const KEY = `(?:${BARE_KEY}|${BASIC_KEY}|${LITERAL_KEY})`;
const DOTTED = String.raw`${KEY}(?:\s*\.\s*${KEY})*`;
const HEADER = new RegExp(String.raw`^\s*\[\[?\s*(${DOTTED})\s*\]\]?`);
const ASSIGNMENT = new RegExp(String.raw`^\s*(${DOTTED})\s*=`);
const KEY_PART = new RegExp(KEY, 'g');

function keyParts(dotted: string): string[] {
	return [...dotted.matchAll(KEY_PART)].map(([part]) => {
		if (part.startsWith('"')) return JSON.parse(part) as string;
		if (part.startsWith("'")) return part.slice(1, -1);
		return part;
	});
}

const startsWith = (path: readonly string[], prefix: readonly string[]) => prefix.length <= path.length && prefix.every((part, index) => path[index] === part);

/** How many times a line opens or closes a multi-line string. */
const tripleQuotes = (line: string) => (line.match(/"""|'''/g) ?? []).length;

/**
 * The 1-based line that sets `path` (a `key =` or a [header]), or else the
 * first that sets a value holding it (an inline table); undefined when no
 * line does.
 */
export function lineOfKey(text: string, path: readonly string[]): number | undefined {
	let table: string[] = [];
	let insideString = false;
	let closest: number | undefined;
	const lines = text.split(/\r?\n/);
	for (const [index, line] of lines.entries()) {
		const wasInside = insideString;
		if (tripleQuotes(line) % 2 === 1) insideString = !insideString;
		if (wasInside) continue;
		const header = HEADER.exec(line);
		if (header) {
			table = keyParts(header[1]!);
			if (path.length === table.length && startsWith(path, table)) return index + 1;
			continue;
		}

		const assignment = ASSIGNMENT.exec(line);
		if (!assignment) continue;
		const full = [...table, ...keyParts(assignment[1]!)];
		if (full.length === path.length && startsWith(path, full)) return index + 1;
		if (closest === undefined && startsWith(path, full)) closest = index + 1;
	}

	return closest;
}
