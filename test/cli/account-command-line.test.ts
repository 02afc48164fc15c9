import {describe, expect, it} from 'vitest';
import {parseCommandLine} from '../../source/cli/command-line.js';

describe('serve … account on the command line', () => {
	it.each([
		[['serve', '--data', 'd', 'account', 'add', 'alice'], {kind: 'account', action: 'add', name: 'alice', data: 'd'}],
		[['serve', 'account', 'reset', 'bob', '--data=d'], {kind: 'account', action: 'reset', name: 'bob', data: 'd'}],
		[['serve', '--redis', 'redis://h', 'account', 'delete', 'carol'], {kind: 'account', action: 'delete', name: 'carol', redis: 'redis://h'}],
	])('%j', (argv, expected) => {
		expect(parseCommandLine(argv)).toEqual(expected);
	});

	it.each([
		[['serve', '--data', 'd', 'account'], 'account needs what to do: serve --data DIR account add|reset|delete NAME'],
		[['serve', '--data', 'd', 'account', 'remove', 'x'], 'unknown account action "remove"; it is add, reset or delete (serve --data DIR account add|reset|delete NAME)'],
		[['serve', '--data', 'd', 'account', 'add'], 'account add needs the account\'s name: serve --data DIR account add|reset|delete NAME'],
		[['serve', '--data', 'd', 'account', 'add', 'a', 'b'], 'account add takes one name, got "a b"'],
		[['serve', 'account', 'add', 'a'], 'account needs --data DIR (or --redis URL): where the accounts are kept'],
		[['serve', '--data', 'd', '--redis', 'r', 'account', 'add', 'a'], 'account takes --data DIR or --redis URL, not both: say which accounts to change'],
		[['serve', '--data', 'd', '--port', '9', 'account', 'add', 'a'], '--port does not go with account; it takes only --data DIR or --redis URL'],
		[['serve', '--data', 'd', '--data', 'e', 'account', 'add', 'a'], '--data is given twice; give it once'],
	])('%j is refused', (argv, message) => {
		expect(parseCommandLine(argv)).toEqual({kind: 'error', command: 'serve', message});
	});

	it('serve still takes no other word', () => {
		expect(parseCommandLine(['serve', 'accounts'])).toEqual({kind: 'error', command: 'serve', message: 'serve takes no arguments, got "accounts"'});
	});
});
