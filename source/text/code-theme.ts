// What code looks like: a handful of scopes that the highlighter's many class
// names fold into, and one style per scope and per piece of a code box. Data
// only, so the layout can name styles without loading the highlighter, and
// the renderer maps a style name to Ink props in one place.

/** The scopes a highlighted token can have. */
export type CodeScope =
	| 'plain'
	| 'keyword'
	| 'string'
	| 'number'
	| 'comment'
	| 'function'
	| 'type'
	| 'constant'
	| 'variable'
	| 'meta'
	| 'tag'
	| 'attribute'
	| 'addition'
	| 'deletion'
	| 'heading';

/** One run of code text with its scope. The text is raw: sanitise it when drawing. */
export type CodeToken = {readonly text: string; readonly scope: CodeScope};

/** A line of code as tokens; their texts joined give the line back. */
export type HighlightedLine = readonly CodeToken[];

/** Lines as plain tokens: how a block without a shipped language, or not yet highlighted, is drawn. */
export function plainLines(lines: readonly string[]): HighlightedLine[] {
	return lines.map(line => (line === '' ? [] : [{text: line, scope: 'plain'}]));
}

/** Every style a row of markup or code may use: the code scopes and the pieces around them. */
export type MarkupStyle =
	| CodeScope
	/** The box around a block, and its language label. */
	| 'border'
	| 'label'
	| 'lineNumber'
	/** "… N more lines", and the mark at a clipped line's end. */
	| 'more'
	/** `inline code` in a paragraph. */
	| 'inlineCode'
	| 'url';

/** Colours Ink (chalk) knows by name; the 16 a terminal's palette maps. */
export type ThemeColour = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray' | 'redBright' | 'greenBright' | 'yellowBright' | 'blueBright' | 'magentaBright' | 'cyanBright';

export type TextStyle = {
	readonly color?: ThemeColour;
	readonly dim?: boolean;
	readonly bold?: boolean;
	readonly italic?: boolean;
	readonly underline?: boolean;
};

// Palette colours only, no RGB: they follow the user's terminal theme, light or dark.
export const THEME: Record<MarkupStyle, TextStyle> = {
	plain: {},
	keyword: {color: 'magenta'},
	string: {color: 'green'},
	number: {color: 'yellow'},
	comment: {color: 'gray', italic: true},
	function: {color: 'blue'},
	type: {color: 'cyan'},
	constant: {color: 'yellow'},
	variable: {color: 'red'},
	meta: {color: 'gray'},
	tag: {color: 'blue'},
	attribute: {color: 'yellow'},
	addition: {color: 'green'},
	deletion: {color: 'red'},
	heading: {color: 'blue', bold: true},
	border: {dim: true},
	label: {dim: true, bold: true},
	lineNumber: {dim: true},
	more: {dim: true, italic: true},
	inlineCode: {color: 'cyan'},
	url: {color: 'blue', underline: true},
};
