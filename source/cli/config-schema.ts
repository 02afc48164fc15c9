// What the config file may hold, as one table of readers: each key's reader
// checks its value and turns it into what the program uses, and the table
// gives the file's settings their type. A key the table does not name is an
// error that suggests the nearest known key, so a typo is never ignored.
import path from 'node:path';
import {usernameProblem} from '../protocol/limits.js';
import {isUnsafeCodePoint, replaceUnsafe} from '../text/unsafe.js';
import {chordLabel, isSearchOnly} from '../ui/key-bindings.js';
import {commandsByFileName, parseChord, type KeyOverride} from './config-keys.js';
import {MAX_BACKLOG} from './flags.js';
import {NOTIFY_METHODS} from '../notify/notify-method.js';
import {splitHostPort} from './config.js';
import {UsageError} from './usage.js';

/** A value the file cannot have: the key's path (as the file spells it) and what is wrong. */
export class ConfigProblem extends Error {
	constructor(readonly path: readonly string[], message: string) {
		super(message);
	}
}

type Context = {
	/** The config file's directory: relative paths in it are read from there. */
	readonly directory: string;
	readonly home: string;
};

type Reader<T> = (value: unknown, path: readonly string[], context: Context) => T;

/** How the program's name for a key is spelled in the file: tlsCa -> tls-ca, as the flags are. */
export const fileKeyName = (name: string) => name.replaceAll(/[A-Z]/g, letter => '-' + letter.toLowerCase());

/** A value, as the error shows it: text quoted with anything unsafe escaped, lists and tables named. */
function shown(value: unknown): string {
	if (typeof value === 'string') return replaceUnsafe(JSON.stringify(value), char => `\\u{${char.codePointAt(0)!.toString(16)}}`);
	if (Array.isArray(value)) return 'a list';
	if (value instanceof Date) return 'a date';
	if (typeof value === 'object' && value !== null) return 'a table';
	return String(value);
}

const isTable = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

const fail = (where: readonly string[], message: string): never => {
	throw new ConfigProblem(where, message);
};

const boolean: Reader<boolean> = (value, where) => (typeof value === 'boolean' ? value : fail(where, `must be true or false, not ${shown(value)}`));

function wholeNumber(minimum: number, maximum: number, what: string): Reader<number> {
	return (value, where) => (typeof value === 'number' && Number.isInteger(value) && value >= minimum && value <= maximum ? value : fail(where, `must be ${what} from ${minimum} to ${maximum}, not ${shown(value)}`));
}

/** Text that is ours to show: no control or invisible characters. */
function text(what: string, maxCharacters: number): Reader<string> {
	return (value, where) => {
		if (typeof value !== 'string') return fail(where, `must be ${what} in quotes, not ${shown(value)}`);
		if (value.trim() === '') return fail(where, `is empty; give ${what}`);
		if ([...value].length > maxCharacters) return fail(where, `is longer than ${maxCharacters} characters`);
		if ([...value].some(char => isUnsafeCodePoint(char.codePointAt(0)!))) return fail(where, `${shown(value)} holds a control or invisible character`);
		return value;
	};
}

/** A word or name: spaces around it would only stop it from matching. */
const trimmed = (reader: Reader<string>): Reader<string> => (value, where, context) => reader(value, where, context).trim();

function list<T>(item: Reader<T>, maxItems: number): Reader<readonly T[]> {
	return (value, where, context) => {
		if (!Array.isArray(value)) return fail(where, `must be a list in [brackets], not ${shown(value)}`);
		if (value.length > maxItems) return fail(where, `holds ${value.length} items; at most ${maxItems}`);
		return value.map((element, index) => {
			try {
				return item(element, where, context);
			} catch (error) {
				if (error instanceof ConfigProblem) throw new ConfigProblem(where, `item ${index + 1} ${error.message}`);
				throw error;
			}
		});
	};
}

function oneOf<const Values extends readonly string[]>(values: Values): Reader<Values[number]> {
	return (value, where) => (typeof value === 'string' && values.includes(value) ? value : fail(where, `must be one of ${values.map(name => `"${name}"`).join(', ')}, not ${shown(value)}`));
}

const host: Reader<{host: string; port?: number}> = (value, where) => {
	if (typeof value !== 'string') return fail(where, `must be a host name in quotes, not ${shown(value)}`);
	try {
		return splitHostPort(value, 'the host');
	} catch (error) {
		if (error instanceof UsageError) return fail(where, error.message);
		throw error;
	}
};

const user: Reader<string> = (value, where) => {
	if (typeof value !== 'string') return fail(where, `must be a name in quotes, not ${shown(value)}`);
	const problem = usernameProblem(value);
	return problem === undefined ? value : fail(where, `${shown(value)} is not a valid name: ${problem}`);
};

/** A name of the ignore list: checked as /ignore checks one, since a name the server would refuse can never be matched. */
const ignoredName: Reader<string> = (value, where, context) => user(typeof value === 'string' ? value.trim() : value, where, context);

/** A file named in the config file: "~/" is the home directory, a relative path starts at the config file's directory. */
const filePath: Reader<string> = (value, where, context) => {
	const name = text('a file name', 4096)(value, where, context);
	if (name === '~' || name.startsWith('~/')) return path.join(context.home, name.slice(1));
	return path.resolve(context.directory, name);
};

const COLOUR_NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'grey'] as const;

/** A colour Ink can draw: a name, a bright name ("cyanBright"), or "#rrggbb". */
const colour: Reader<string> = (value, where) => {
	const known = typeof value === 'string' && (/^#[0-9a-f]{6}$/i.test(value) || COLOUR_NAMES.some(name => value === name || value === `${name}Bright`));
	return known ? value : fail(where, `must be a colour: ${COLOUR_NAMES.join(', ')}, one of those + "Bright" ("cyanBright"), or "#rrggbb"; not ${shown(value)}`);
};

/** [keys]: command = "key" or ["key", …]; a key given to two commands is refused. */
const keys: Reader<readonly KeyOverride[]> = (value, where) => {
	if (!isTable(value)) return fail(where, `must be a table ([keys]), not ${shown(value)}`);
	const owners = new Map<string, string>();
	return Object.entries(value).map(([name, given]) => {
		const at = [...where, name];
		const command = commandsByFileName.get(name);
		if (command === undefined) return fail(at, unknownKeyText(name, [...commandsByFileName.keys()], 'command'));
		const texts = typeof given === 'string' ? [given] : Array.isArray(given) && given.length > 0 && given.every(item => typeof item === 'string') ? (given as string[]) : fail(at, `must be a key in quotes or a list of them, not ${shown(given)}`);
		const chords = texts.map(keyText => {
			const chord = parseChord(keyText, isSearchOnly(command));
			if (typeof chord === 'string') return fail(at, chord);
			// One spelling per key, so that two commands given the same key are found.
			const label = chordLabel(chord);
			const owner = owners.get(label);
			if (owner !== undefined && owner !== name) return fail(at, `${label} is given to ${owner} too; give each key to one command`);
			owners.set(label, name);
			return chord;
		});
		return {command, chords};
	});
};

/** Readers of a table's keys, by the program's name for each. */
type Schema = Record<string, Reader<unknown>>;

/** What a table of `Schema` reads into: every key optional, as the file may leave any out. */
export type SettingsOf<S extends Schema> = {-readonly [K in keyof S]?: S[K] extends Reader<infer T> ? T : never};

function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
		previous = current;
	}

	return previous[b.length]!;
}

/** "unknown key "hots"; did you mean "host"? The keys here are …". A long list (the commands) is left to the README. */
function unknownKeyText(name: string, known: readonly string[], what = 'key'): string {
	const nearest = known.map(candidate => ({candidate, distance: editDistance(name.toLowerCase(), candidate)})).sort((a, b) => a.distance - b.distance)[0];
	const suggestion = nearest !== undefined && nearest.distance <= Math.max(2, Math.floor(name.length / 3)) ? `; did you mean "${nearest.candidate}"?` : '';
	const listed = known.length <= 16 ? ` The ${what}s here are ${known.join(', ')}.` : ` The ${what}s are listed in the README.`;
	return `unknown ${what} ${shown(name)}${suggestion}${listed}`;
}

function table<S extends Schema>(schema: S): Reader<SettingsOf<S>> {
	const byFileName = new Map(Object.keys(schema).map(name => [fileKeyName(name), name]));
	return (value, where, context) => {
		if (!isTable(value)) return fail(where, `must be a table, not ${shown(value)}`);
		const settings: Record<string, unknown> = {};
		for (const [fileName, given] of Object.entries(value)) {
			const name = byFileName.get(fileName);
			if (name === undefined) return fail([...where, fileName], unknownKeyText(fileName, [...byFileName.keys()]));
			settings[name] = schema[name]!(given, [...where, fileName], context);
		}

		return settings as SettingsOf<S>;
	};
}

/** Highlight words and ignored names: enough for anyone, few enough to match against every message. */
const MAX_WORDS = 100;

const rootSchema = {
	host,
	port: wholeNumber(1, 65_535, 'a port number'),
	user,
	tls: boolean,
	tlsCa: filePath,
	insecure: boolean,
	backlog: wholeNumber(0, MAX_BACKLOG, 'a number of messages'),
	highlight: list(trimmed(text('a word', 64)), MAX_WORDS),
	ignore: list(ignoredName, MAX_WORDS),
	timestamps: table({seconds: boolean, dateLines: boolean}),
	colours: table({ownNick: colour, mention: colour}),
	keys,
	notifications: table({method: oneOf(NOTIFY_METHODS)}),
	display: table({quietJoins: boolean}),
	mouse: table({wheel: boolean}),
};

/** Everything a config file can set, as read (all optional). */
export type FileSettings = SettingsOf<typeof rootSchema>;

/** Reads a parsed TOML document; throws ConfigProblem. */
export function readSettings(document: unknown, context: Context): FileSettings {
	const settings = table(rootSchema)(document, [], context);
	if (settings.host?.port !== undefined && settings.port !== undefined && settings.host.port !== settings.port) {
		fail(['port'], `is ${settings.port} but host says port ${settings.host.port}; give one`);
	}

	// As their flags need --tls: without it there is no certificate to check, and a setting that does nothing must not look set.
	if (settings.tls !== true) {
		if (settings.tlsCa !== undefined) fail(['tls-ca'], 'is for TLS: set tls = true too, or remove it');
		if (settings.insecure === true) fail(['insecure'], 'is for TLS: set tls = true too, or remove it');
	}

	if (settings.tlsCa !== undefined && settings.insecure === true) {
		fail(['insecure'], 'checks no certificate, so tls-ca would do nothing; give one');
	}

	return settings;
}
