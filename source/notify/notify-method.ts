// How a mention or direct message is announced when you are not looking:
// which sequence the terminal understands. A terminal that does not know a
// sequence ignores it silently, so one is chosen only where the terminal is
// known to show it; elsewhere the bell, which every terminal has, marks the
// window or tab. The config file can name the sequence outright.

/** As the config file spells them. auto: by the terminal; bell: only the bell; off: nothing, not even the bell. */
export const NOTIFY_METHODS = ['auto', 'osc777', 'osc9', 'bell', 'off'] as const;
export type NotifyMethod = (typeof NOTIFY_METHODS)[number];

/** What the announcement is written as, decided once at start-up. */
export type NotifyOutput = {
	readonly sequence: 'osc777' | 'osc9' | 'bell' | 'off';
	/** Inside tmux ($TMUX): desktop sequences go through its passthrough, and the bell marks the tmux window too. */
	readonly tmux: boolean;
};

/** The bell alone: what a screen without settings does. */
export const BELL_ONLY: NotifyOutput = {sequence: 'bell', tmux: false};

export type NotifyEnvironment = Partial<Record<string, string>>;

const has = (environment: NotifyEnvironment, name: string) => (environment[name] ?? '') !== '';

/**
 * Terminals known to show a desktop notification for a sequence, each by
 * what it puts in the environment (kept inside tmux, which hides TERM and
 * TERM_PROGRAM). OSC 777 first where both work: it carries a title.
 */
const knownTerminals: ReadonlyArray<{sequence: 'osc777' | 'osc9'; is: (environment: NotifyEnvironment) => boolean}> = [
	{sequence: 'osc777', is: environment => environment.TERM_PROGRAM === 'WezTerm' || has(environment, 'WEZTERM_PANE')},
	{sequence: 'osc777', is: environment => environment.TERM_PROGRAM === 'ghostty' || has(environment, 'GHOSTTY_RESOURCES_DIR')},
	{sequence: 'osc777', is: environment => /^foot(-|$)/.test(environment.TERM ?? '')},
	{sequence: 'osc9', is: environment => environment.TERM_PROGRAM === 'iTerm.app' || environment.LC_TERMINAL === 'iTerm2' || has(environment, 'ITERM_SESSION_ID')},
];

export function resolveNotifyMethod(method: NotifyMethod, environment: NotifyEnvironment): NotifyOutput {
	const tmux = has(environment, 'TMUX');
	switch (method) {
		case 'auto':
			return {sequence: knownTerminals.find(terminal => terminal.is(environment))?.sequence ?? 'bell', tmux};
		case 'osc777':
		case 'osc9':
		case 'bell':
		case 'off':
			return {sequence: method, tmux};
		default:
			return method satisfies never;
	}
}
