// What the user's settings (flags, config file) change on the chat screen.
import type {NotifyOutput} from '../notify/notify-method.js';
import type {KeyOverride} from '../cli/config-keys.js';
import type {IgnoreList} from './ignore-list.js';
import type {ReadMarksKeeper} from './use-read-marker.js';

export type ScreenSettings = {
	/** Words that count as mentions of you. @default [] */
	readonly highlights?: readonly string[];
	/** Fold runs of joins, leaves and renames into one line. @default true */
	readonly quietJoins?: boolean;
	/** How a mention or direct message is announced. @default the bell alone */
	readonly notify?: NotifyOutput;
	/** Whose messages are hidden (/ignore, the config file). @default nobody */
	readonly ignore?: IgnoreList;
	/** The config file's [timestamps]. @default HH:MM, no date lines */
	readonly timestamps?: {readonly seconds: boolean; readonly dateLines: boolean};
	/** The config file's [colours]. @default the usual ones */
	readonly colours?: {readonly ownNick?: string; readonly mention?: string};
	/** The config file's [keys]: each command named runs on these keys instead of its defaults. @default none */
	readonly keys?: readonly KeyOverride[];
	/** Where you stopped reading on earlier runs, and where to keep it. @default nothing kept */
	readonly readMarks?: ReadMarksKeeper;
	/** The config file's [mouse] wheel: mouse reporting on, the wheel scrolls what is under the pointer. @default false */
	readonly mouseWheel?: boolean;
};
