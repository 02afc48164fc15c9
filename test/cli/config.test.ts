import {describe, expect, it} from 'vitest';
import {defaultUserName, resolveClientConfig, splitHostPort} from '../../source/cli/config.js';
import {resolveServeFlags} from '../../source/cli/serve-flags.js';

const resolve = (flags: Parameters<typeof resolveClientConfig>[0], environment = {}) => resolveClientConfig(flags, environment, 'login');

describe('client configuration', () => {
	it('defaults to localhost:8080 and the login name', () => {
		expect(resolve({})).toEqual({ok: true, config: {host: 'localhost', port: 8080, user: 'login', json: false, ui: expect.any(Object)}});
	});

	it('reads HOST:PORT, [v6]:PORT and the environment', () => {
		expect(resolve({host: 'chat.example.com:9000', user: 'alice'})).toMatchObject({config: {host: 'chat.example.com', port: 9000, user: 'alice'}});
		expect(resolve({host: '[::1]:9000'})).toMatchObject({config: {host: '::1', port: 9000}});
		expect(resolve({host: '::1'})).toMatchObject({config: {host: '::1', port: 8080}});
		expect(resolve({}, {CODECHAT_HOST: 'h', CODECHAT_PORT: '7000', CODECHAT_USER: 'bot'})).toMatchObject({config: {host: 'h', port: 7000, user: 'bot'}});
		// Flags win over the environment.
		expect(resolve({port: '7001'}, {CODECHAT_PORT: '7000'})).toMatchObject({config: {port: 7001}});
	});

	it('refuses bad ports with the value in the message', () => {
		for (const port of ['0', '70000', 'abc', '', '-1', '1.5']) {
			const result = resolve({port});
			expect(result.ok).toBe(false);
			expect(result.ok ? '' : result.error).toContain('--port must be a port number from 1 to 65535');
		}

		expect(resolve({}, {CODECHAT_PORT: 'x'})).toMatchObject({ok: false, error: expect.stringContaining('CODECHAT_PORT')});
		expect(resolve({host: 'h:1', port: '2'})).toMatchObject({ok: false, error: expect.stringContaining('give one')});
	});

	it('refuses an invalid --user instead of changing it', () => {
		expect(resolve({user: 'has space'})).toMatchObject({ok: false, error: expect.stringContaining('--user "has space" is not a valid name')});
		expect(resolve({}, {CODECHAT_USER: 'a/b'})).toMatchObject({ok: false, error: expect.stringContaining('CODECHAT_USER')});
	});

	it('makes the login name valid', () => {
		expect(defaultUserName('Jane Doe')).toBe('Jane_Doe');
		expect(defaultUserName('DOMAIN\\user')).toBe('DOMAINuser');
		expect(defaultUserName('')).toBe('guest');
		expect(defaultUserName('x'.repeat(40))).toHaveLength(32);
		// The one name rule decides, invisible letters included: a Hangul filler is a letter, but not in a name.
		expect(defaultUserName('jane\u3164doe')).toBe('janedoe');
	});

	it('hosts on 127.0.0.1 with --serve, whatever $CODECHAT_HOST names', () => {
		expect(resolve({serve: true})).toMatchObject({config: {host: '127.0.0.1', serve: {listen: '127.0.0.1'}}});
		expect(resolve({serve: true}, {CODECHAT_HOST: 'chat.example.com:9000'})).toMatchObject({config: {host: '127.0.0.1', port: 8080}});
		expect(resolve({tls: true, tlsCa: 'ca.pem'})).toMatchObject({config: {tls: {caFile: 'ca.pem', insecure: false}}});
		expect(splitHostPort('h:22', '--host')).toEqual({host: 'h', port: 22});
	});
});

describe('server flags on the client command line', () => {
	it('pass to the room that --serve hosts', () => {
		expect(resolve({serve: true, rate: '0', maxFrame: '1024', burst: '5', maxClients: '3'}))
			.toMatchObject({config: {serve: {limits: {rate: 0, maxFrame: 1024, burst: 5, maxClients: 3}}}});
		expect(resolve({serve: true, maxFrame: '100'})).toMatchObject({ok: false, error: expect.stringContaining('--max-frame must be a whole number of at least 256')});
	});
});

describe('serve flags', () => {
	it('reads numbers and refuses nonsense', () => {
		expect(resolveServeFlags({port: '9000', rate: '0', maxFrame: '1024'}, {})).toMatchObject({ok: true, flags: {port: 9000, rate: 0, maxFrame: 1024, listen: '127.0.0.1'}});
		expect(resolveServeFlags({rate: 'fast'}, {})).toMatchObject({ok: false, error: expect.stringContaining('--rate')});
		expect(resolveServeFlags({port: '0'}, {})).toMatchObject({ok: false});
		expect(resolveServeFlags({maxFrame: '100'}, {})).toMatchObject({ok: false, error: expect.stringContaining('at least 256')});
		expect(resolveServeFlags({}, {REDIS_URL: 'redis://127.0.0.1:6379'})).toMatchObject({ok: true, flags: {redis: 'redis://127.0.0.1:6379'}});
	});
});
