// How the message pane and the sidebar look by the user's settings (the
// config file's [timestamps] and [colours], the keys they name). The screen
// makes it once from the settings (use-screen-look.ts) and hands it to the
// pure layout code and the sidebar; the layout cache is keyed by the look
// object, so another look lays everything out again.

/** A colour as the config file gives it (config-schema.ts checks it): an Ink/chalk name or "#rrggbb". */
export type LookColour = string;

export type PaneLook = {
	/** Times as HH:MM:SS instead of HH:MM. */
	readonly seconds: boolean;
	/** A dim "— Tuesday 1 December 2026 —" row where the day changes, and above the oldest message. */
	readonly dateLines: boolean;
	/** Your own name, in the pane and the user list; undefined: its usual hashed colour. */
	readonly ownNick?: LookColour;
	/** A message that mentions you (its name and text), and the sidebar's count of them. */
	readonly mention?: LookColour;
	/** The key that opens the code viewer, named in a cut code block's border. */
	readonly viewKey: string;
	/** The quick switcher's key, named under a conversation list too long to show. */
	readonly switcherKey: string;
};

export const DEFAULT_LOOK: PaneLook = {seconds: false, dateLines: false, viewKey: 'Ctrl-V', switcherKey: 'Ctrl-G'};

const two = (value: number) => String(value).padStart(2, '0');

/** "14:05", or "14:05:09" with seconds on, in local time. */
export function formatClock(time: number, seconds = false): string {
	const date = new Date(time);
	const minutes = `${two(date.getHours())}:${two(date.getMinutes())}`;
	return seconds ? `${minutes}:${two(date.getSeconds())}` : minutes;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {weekday: 'long', day: 'numeric', month: 'long', year: 'numeric'});

/** "Tuesday 1 December 2026", in local time: our own words, in English as the rest of the screen. */
export function formatDate(time: number): string {
	const parts = Object.fromEntries(dateFormat.formatToParts(new Date(time)).map(part => [part.type, part.value]));
	return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
}

/** The local calendar day of a time, to tell where the day changes. */
export function dayOf(time: number): number {
	const date = new Date(time);
	return date.getFullYear() * 10_000 + date.getMonth() * 100 + date.getDate();
}
