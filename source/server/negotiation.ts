// What the server says about itself on every `connect` status (PROTOCOL.md
// §8): its name and version, the extensions it speaks and its limits. The
// feature list is computed here only, from the options, so each extension
// that lands adds itself in one place.
import packageJson from '../../package.json' with {type: 'json'};
import type {Feature, ServerLimits} from '../protocol/codes.js';
import {MAX_MESSAGE_CHARS} from '../protocol/limits.js';
import {accountsFeatures} from './accounts/open-accounts.js';
import type {Hub} from './hub.js';
import type {ServerOptions} from './options.js';

/** "codechat-tui/0.1.0": the `server` of every connect status. */
export const SERVER_SOFTWARE = `codechat-tui/${packageJson.version}`;

export type ServerHello = {server: string; features: Feature[]; limits: ServerLimits};

/** The extensions this server speaks with these options and this hub. */
export function serverFeatures(options: Readonly<ServerOptions>, hub: Hub): Feature[] {
	const features: Feature[] = ['codes'];
	if (options.history > 0) features.push('history');
	features.push(...hub.roomFeatures);
	features.push(...accountsFeatures(options.accounts));
	if (options.fileBytes > 0) features.push('file');
	features.push('presence');
	return features;
}

export function serverHello(options: Readonly<ServerOptions>, hub: Hub): ServerHello {
	return {
		server: SERVER_SOFTWARE,
		features: serverFeatures(options, hub),
		// 0 while `file` is not offered: then a file may have no bytes.
		limits: {frame: options.maxFrameBytes, msg: MAX_MESSAGE_CHARS, file: options.fileBytes},
	};
}
