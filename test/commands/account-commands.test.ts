import {describe, expect, it} from 'vitest';
import {interpretLine} from '../../source/commands/parse.js';

const context = {me: 'alice', roster: ['alice', 'bob'], supports: () => true};

describe('/register, /logout, /password', () => {
	it('ask the caller to carry them out, taking nothing on the line', () => {
		expect(interpretLine('/register', context)).toEqual({type: 'register'});
		expect(interpretLine('/logout', context)).toEqual({type: 'logout'});
		expect(interpretLine('/password', context)).toEqual({type: 'password'});
		expect(interpretLine('/passwd', context)).toEqual({type: 'password'});
	});

	it('refuse a password typed after them, without quoting it, and send nothing', () => {
		for (const line of ['/register hunter2hunter2', '/password hunter2hunter2 newpassword']) {
			const descriptor = interpretLine(line, context);
			expect(descriptor?.type).toBe('error');
			const text = descriptor?.type === 'error' ? descriptor.text : '';
			expect(text).toContain('it asks for the password, hidden');
			expect(text).not.toContain('hunter2');
		}

		expect(interpretLine('/logout now', context)).toEqual({type: 'error', text: '/logout takes nothing after it'});
	});

	it('on a server that does not list accounts, say so and send nothing', () => {
		for (const name of ['register', 'logout', 'password']) {
			expect(interpretLine(`/${name}`, {...context, supports: () => false})).toEqual({type: 'error', text: `/${name}: this server does not support accounts (it did not list it when we connected)`});
		}
	});

	it('are listed by /help', () => {
		const help = interpretLine('/help', context);
		const text = help?.type === 'help' ? help.text : '';
		expect(text).toContain('/register');
		expect(text).toContain('/logout');
		expect(text).toContain('/password');
	});
});
