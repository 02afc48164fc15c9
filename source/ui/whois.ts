// The line /whois prints: what this client knows of a user from the
// server's roster (present, an account, away and why), and whether we
// ignore them. Nothing is sent; the roster is refreshed by the client.
import {nameKey} from '../protocol/limits.js';
import type {RosterSnapshot} from '../protocol/roster.js';

export function whoisLine(name: string, roster: RosterSnapshot, ignored: boolean): string {
	const key = nameKey(name);
	const user = roster.users.find(row => !row.namesake && nameKey(row.name) === key);
	const ignoring = ignored ? '; you ignore them' : '';
	if (!user) return `${name} is not here${roster.complete ? '' : ' as far as we know (the server lists nobody)'}${ignoring}`;
	const who = user.isMe ? `${user.name} (you)` : user.name;
	const kind = user.account ? 'logged in to an account' : 'a guest';
	const away = user.away === undefined ? 'here' : `away: ${user.away}`;
	return `${who}: ${kind}, ${user.gone ? 'possibly gone' : away}${ignoring}`;
}
