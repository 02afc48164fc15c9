// What the message pane and the code viewer draw: rows of styled segments.
// Pure data; RowText turns a row into Ink elements.
import type {ThemeColour} from '../text/code-theme.js';
import type {NickColour} from '../text/nick-colour.js';
import type {LookColour} from './pane-look.js';

/** One styled run of text in a row. Text here is already sanitised. */
export type Segment = {
	readonly text: string;
	/** A colour of the palette, or one the config file gave (pane-look.ts). */
	readonly color?: NickColour | ThemeColour | LookColour;
	readonly dim?: boolean;
	readonly bold?: boolean;
	readonly italic?: boolean;
	readonly underline?: boolean;
	readonly inverse?: boolean;
	/**
	 * Where the segment links to (OSC 8). Set only on a URL that linkTarget()
	 * accepts and that is whole on its row, so `text` is exactly this URL.
	 */
	readonly href?: string;
	/** A search match (search-marks.ts); 'current' in the message shown as the match. */
	readonly mark?: 'match' | 'current';
};

export type Row = readonly Segment[];
