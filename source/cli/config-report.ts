// `codechat-tui config`: the settings the client would start with, and
// which of the flags, $CODECHAT_*, the config file or the defaults gave each.
// The values are resolveClientConfig's own; only the labels are worked out
// here, from which layer has the setting.
import {resolveNotifyMethod, type NotifyEnvironment} from '../notify/notify-method.js';
import {sanitizeLine} from '../text/sanitize.js';
import {chordLabel} from '../ui/key-bindings.js';
import {commandFileName} from './config-keys.js';
import type {FileSettings} from './config-schema.js';
import {resolveClientConfig, splitHostPort, type Environment} from './config.js';
import {DEFAULT_TUI_BACKLOG, type CommandLineFlags} from './flags.js';

export type ReportInput = {
	readonly flags: CommandLineFlags;
	readonly environment: Environment & NotifyEnvironment;
	readonly login: string;
	/** The file read, if any, and where it was looked for. */
	readonly file: {readonly path: string; readonly found: boolean; readonly settings: FileSettings};
};

const FILE = 'config file';
const DEFAULT = 'default';

/** The lines to print, or the one-line error resolveClientConfig gives. */
export function settingsReport({flags, environment, login, file}: ReportInput): {ok: true; text: string} | {ok: false; error: string} {
	const resolved = resolveClientConfig(flags, environment, login, file.settings);
	if (!resolved.ok) return resolved;
	const {config} = resolved;
	const {settings} = file;
	const {ui} = config;
	const fromFile = (given: unknown) => (given === undefined ? DEFAULT : FILE);
	const serve = flags.serve === true;
	const hostSource = flags.host !== undefined ? '--host' : serve ? '--serve' : environment.CODECHAT_HOST === undefined ? fromFile(settings.host) : '$CODECHAT_HOST';
	const hostText = flags.host ?? (serve ? undefined : environment.CODECHAT_HOST);
	const hostGavePort = hostText === undefined ? !serve && settings.host?.port !== undefined : splitHostPort(hostText, 'the host').port !== undefined;
	const portSource = flags.port !== undefined ? '--port' : environment.CODECHAT_PORT !== undefined ? '$CODECHAT_PORT' : hostGavePort ? hostSource : settings.port === undefined ? DEFAULT : FILE;
	const userSource = flags.user !== undefined ? '--user' : environment.CODECHAT_USER !== undefined ? '$CODECHAT_USER' : settings.user === undefined ? 'your login name' : FILE;
	const tlsSource = flags.tls ? '--tls' : settings.tls && !serve ? FILE : DEFAULT;
	const tls = config.tls === undefined ? 'off' : config.tls.insecure ? 'on, certificate not checked' : config.tls.caFile === undefined ? 'on, system CAs' : `on, CA ${config.tls.caFile}`;
	const backlog = config.backlog ?? ui.backlog;
	const fileWords = settings.highlight ?? [];
	const flagWords = (flags.highlight ?? []).filter(word => !fileWords.includes(word));
	const wordsSource = [fileWords.length > 0 ? FILE : '', flagWords.length > 0 ? '--highlight' : ''].filter(Boolean).join(', ') || DEFAULT;
	const notify = resolveNotifyMethod(ui.notify, environment);
	const rows: Array<[string, string, string]> = [
		['host', config.host, hostSource],
		['port', String(config.port), portSource],
		['user', config.user, userSource],
		['tls', tls, tlsSource],
		['backlog', backlog === undefined ? `${DEFAULT_TUI_BACKLOG} (0 in pipe mode)` : String(backlog), flags.backlog === undefined ? fromFile(settings.backlog) : '--backlog'],
		['highlight', ui.highlights.join(', ') || 'none', wordsSource],
		['ignore', ui.ignore.join(', ') || 'none', fromFile(settings.ignore)],
		['timestamps', `seconds ${ui.timestamps.seconds ? 'on' : 'off'}, date lines ${ui.timestamps.dateLines ? 'on' : 'off'}`, fromFile(settings.timestamps)],
		['colours', Object.entries(ui.colours).map(([name, colour]) => `${name === 'ownNick' ? 'own-nick' : name} ${colour}`).join(', ') || 'the default ones', fromFile(settings.colours)],
		['keys', ui.keys.map(({command, chords}) => `${commandFileName(command)} ${chords.map(chordLabel).join('/')}`).join(', ') || 'the default ones', fromFile(settings.keys)],
		['notifications', ui.notify === 'auto' ? `auto (${notify.sequence} here${notify.tmux ? ', through tmux' : ''})` : ui.notify, fromFile(settings.notifications)],
		['display', `quiet joins ${ui.quietJoins ? 'on' : 'off'}`, fromFile(settings.display)],
		['mouse', `wheel ${ui.mouseWheel ? 'on' : 'off'}`, fromFile(settings.mouse)],
	];
	const width = Math.max(...rows.map(([name]) => name.length)) + 2;
	const valueWidth = Math.min(40, Math.max(...rows.map(([, value]) => value.length)));
	const lines = [
		`config file: ${sanitizeLine(file.path)}${file.found ? '' : ' (not there: the defaults apply)'}`,
		// A value longer than the column still keeps two spaces before its source.
		...rows.map(([name, value, source]) => `${name.padEnd(width)}${sanitizeLine(value).padEnd(valueWidth)}  (${source})`),
	];
	return {ok: true, text: lines.join('\n') + '\n'};
}
