import {describe, expect, it} from 'vitest';
import type {Feature} from '../../source/protocol/codes.js';
import {accountGoneText, afterRefusal, firstCredential, type LoginContext} from '../../source/client/login-plan.js';

const accounts = new Set<Feature>(['codes', 'accounts']);
const tui: LoginContext = {transport: 'tls', canPrompt: true};
const script: LoginContext = {transport: 'tls', canPrompt: false, scriptedPassword: 'from the file'};
const authRequired = {code: 'auth-required', features: accounts} as const;

describe('login plan', () => {
	it('sends a saved token with the first connect, but never over --insecure, and never a password first', () => {
		expect(firstCredential({...tui, savedToken: 'T'})).toEqual({token: 'T'});
		expect(firstCredential({...tui, transport: 'plain', savedToken: 'T'})).toEqual({token: 'T'});
		expect(firstCredential({...tui, transport: 'insecure-tls', savedToken: 'T'})).toBeUndefined();
		expect(firstCredential(script)).toBeUndefined();
	});

	it('answers auth-required with the scripted password, the prompt, or a line saying how to give one', () => {
		expect(afterRefusal(script, 'alice', 'none', authRequired)).toEqual({kind: 'send', credential: {password: 'from the file'}, forgetToken: false});
		expect(afterRefusal(tui, 'alice', 'none', authRequired)).toEqual({kind: 'prompt', notice: 'alice is a registered name on this server', forgetToken: false});
		const stop = afterRefusal({transport: 'tls', canPrompt: false}, 'alice', 'none', authRequired);
		expect(stop.kind === 'stop' && stop.message).toContain('--password-file FILE or $CODECHAT_PASSWORD');
	});

	it('a name the accounts-only server says is no account is told to ask the operator, never prompted nor sent a password', () => {
		for (const context of [tui, script]) {
			const step = afterRefusal(context, 'eve', 'none', {...authRequired, registered: false});
			expect(step.kind).toBe('stop');
			expect(step.kind === 'stop' && step.message).toContain('eve is not registered on this server, and it admits accounts only');
			expect(step.kind === 'stop' && step.message).toContain('account add eve');
		}

		expect(afterRefusal(tui, 'alice', 'none', {...authRequired, registered: true}).kind).toBe('prompt');
	});

	it('never sends a password over --insecure, nor to a server that does not list accounts', () => {
		for (const context of [{...script, transport: 'insecure-tls'} as const, {...tui, transport: 'insecure-tls'} as const]) {
			const step = afterRefusal(context, 'alice', 'none', authRequired);
			expect(step.kind).toBe('stop');
			expect(step.kind === 'stop' && step.message).toContain('never sent with --insecure');
		}

		expect(afterRefusal(script, 'alice', 'none', {code: 'auth-required', features: new Set(['codes'])}).kind).toBe('stop');
		expect(afterRefusal(script, 'alice', 'none', {code: 'auth-required'}).kind).toBe('stop');
	});

	it('forgets a refused token and asks without one whether the name is still an account: then the password', () => {
		for (const context of [tui, script]) expect(afterRefusal(context, 'alice', 'token', {code: 'auth-failed'})).toEqual({kind: 'check-name', forgetToken: true});
		for (const registered of [true, undefined]) {
			expect(afterRefusal(tui, 'alice', 'after-refused-token', {...authRequired, registered})).toEqual({kind: 'prompt', notice: 'the saved login is no longer valid; log in with the password', forgetToken: false});
			expect(afterRefusal(script, 'alice', 'after-refused-token', {...authRequired, registered})).toEqual({kind: 'send', credential: {password: 'from the file'}, forgetToken: false});
		}
	});

	it('an account deleted while its token was saved: an accounts-only server is said to admit none, and no password is asked for or sent', () => {
		for (const context of [tui, script]) {
			const step = afterRefusal(context, 'alice', 'after-refused-token', {...authRequired, registered: false});
			expect(step).toEqual({kind: 'stop', message: accountGoneText('alice', true), forgetToken: false});
		}

		expect(accountGoneText('alice', true)).toContain('the account alice no longer exists on this server');
		expect(accountGoneText('alice', true)).toContain('account add alice');
		expect(accountGoneText('alice', false)).toContain('you are alice as a guest now');
	});

	it('asks again after a wrong typed password; stops after a wrong scripted one', () => {
		expect(afterRefusal(tui, 'alice', 'typed-password', {code: 'auth-failed'})).toEqual({kind: 'prompt', notice: 'wrong password for alice; try again', forgetToken: false});
		expect(afterRefusal(script, 'alice', 'password', {code: 'auth-failed'}).kind).toBe('stop');
	});

	it('shows the wait of a lock-out', () => {
		const typed = afterRefusal(tui, 'alice', 'typed-password', {code: 'locked-out', retry: 8});
		expect(typed).toEqual({kind: 'prompt', notice: 'too many wrong passwords for alice from this address: wait 8 s before trying again', forgetToken: false});
		const scripted = afterRefusal(script, 'alice', 'password', {code: 'locked-out', retry: 60});
		expect(scripted.kind === 'stop' && scripted.message).toContain('wait 60 s');
	});

	it('a saved token refused as unsupported (the server has no accounts now) is dropped for a guest connect', () => {
		expect(afterRefusal(tui, 'alice', 'token', {code: 'unsupported'})).toEqual({kind: 'guest', forgetToken: true});
		expect(afterRefusal(tui, 'alice', 'none', {code: 'unsupported'})).toEqual({kind: 'not-account'});
	});

	it('tls-required says to use --tls; other codes are not its business', () => {
		const step = afterRefusal(script, 'alice', 'password', {code: 'tls-required'});
		expect(step.kind === 'stop' && step.message).toContain('--tls');
		expect(afterRefusal(script, 'alice', 'none', {code: 'name-taken'})).toEqual({kind: 'not-account'});
		expect(afterRefusal(script, 'alice', 'none', {})).toEqual({kind: 'not-account'});
	});
});
