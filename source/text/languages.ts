// The languages the client highlights, with the names a fence may use and
// the file extensions that imply them. No grammar is loaded here: this table
// is small and static, so /paste and the layout can name a language without
// pulling the highlighter into start-up.

type LanguageInfo = {
	/** The name written after ``` when the client itself writes a fence (/paste). */
	readonly fence: string;
	/** Other fence names, lower case. The id and `fence` are accepted too. */
	readonly aliases: readonly string[];
	/** File extensions, lower case, with the dot. */
	readonly extensions: readonly string[];
};

export const LANGUAGES = {
	typescript: {fence: 'ts', aliases: ['tsx', 'mts', 'cts'], extensions: ['.ts', '.tsx', '.mts', '.cts']},
	javascript: {fence: 'js', aliases: ['jsx', 'mjs', 'cjs', 'node'], extensions: ['.js', '.jsx', '.mjs', '.cjs']},
	json: {fence: 'json', aliases: ['jsonc', 'json5'], extensions: ['.json', '.jsonc', '.json5']},
	bash: {fence: 'sh', aliases: ['shell', 'zsh', 'console', 'shellsession'], extensions: ['.sh', '.bash', '.zsh']},
	python: {fence: 'python', aliases: ['py', 'python3', 'py3'], extensions: ['.py', '.pyi']},
	go: {fence: 'go', aliases: ['golang'], extensions: ['.go']},
	rust: {fence: 'rust', aliases: ['rs'], extensions: ['.rs']},
	c: {fence: 'c', aliases: ['h'], extensions: ['.c', '.h']},
	cpp: {fence: 'cpp', aliases: ['c++', 'cc', 'cxx', 'hpp', 'hh', 'hxx'], extensions: ['.cpp', '.cc', '.cxx', '.hpp', '.hh', '.hxx', '.c++']},
	java: {fence: 'java', aliases: [], extensions: ['.java']},
	diff: {fence: 'diff', aliases: ['patch'], extensions: ['.diff', '.patch']},
	yaml: {fence: 'yaml', aliases: ['yml'], extensions: ['.yaml', '.yml']},
	sql: {fence: 'sql', aliases: [], extensions: ['.sql']},
	markdown: {fence: 'md', aliases: ['mkd', 'mkdn'], extensions: ['.md', '.markdown']},
	xml: {fence: 'html', aliases: ['xhtml', 'htm', 'svg', 'xsl', 'plist'], extensions: ['.html', '.htm', '.xhtml', '.xml', '.svg']},
	css: {fence: 'css', aliases: [], extensions: ['.css']},
} as const satisfies Record<string, LanguageInfo>;

export type LanguageId = keyof typeof LANGUAGES;

export const LANGUAGE_IDS = Object.keys(LANGUAGES) as LanguageId[];

const byName = new Map<string, LanguageId>();
const byExtension = new Map<string, LanguageId>();
for (const id of LANGUAGE_IDS) {
	const info: LanguageInfo = LANGUAGES[id];
	for (const name of [id, info.fence, ...info.aliases]) {
		// Two languages under one name would make the choice depend on order: fail at load.
		if (byName.has(name) && byName.get(name) !== id) throw new Error(`language name ${name} is listed twice`);
		byName.set(name, id);
	}
	for (const extension of info.extensions) {
		if (byExtension.has(extension)) throw new Error(`file extension ${extension} is listed twice`);
		byExtension.set(extension, id);
	}
}

/** The language a fence's name (```ts) stands for, or undefined for one not shipped. */
export function languageFromName(name: string): LanguageId | undefined {
	return byName.get(name.toLowerCase());
}

/** The language a file's name implies by its extension, or undefined. Only the name is read, never the file. */
export function languageFromPath(path: string): LanguageId | undefined {
	const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
	const dot = base.lastIndexOf('.');
	// A leading dot is a hidden file's name (".bashrc"), not an extension.
	if (dot <= 0) return undefined;
	return byExtension.get(base.slice(dot).toLowerCase());
}

/** The name the client writes after ``` for this language. */
export function fenceName(id: LanguageId): string {
	return LANGUAGES[id].fence;
}
