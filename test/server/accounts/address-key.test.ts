import {describe, expect, it} from 'vitest';
import {addressKey, isLoopback} from '../../../source/server/accounts/address-key.js';

describe('addresses', () => {
	it.each([
		['127.0.0.1', true],
		['127.1.2.3', true],
		['::1', true],
		['0:0:0:0:0:0:0:1', true],
		['::ffff:127.0.0.1', true],
		['::FFFF:127.0.0.5', true],
		['128.0.0.1', false],
		['10.0.0.1', false],
		['::ffff:10.0.0.1', false],
		['::2', false],
		['fe80::1%lo', false],
		['localhost', false],
		[undefined, false],
	])('%s is loopback: %s', (address, loopback) => {
		expect(isLoopback(address)).toBe(loopback);
	});

	it('counts IPv4 by address and IPv6 by its /64', () => {
		expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
		expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
		expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:0db8:0001:0002::/64');
		expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:0db8:0001:0002::/64');
		expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
		expect(addressKey('::1')).toBe('0000:0000:0000:0000::/64');
	});
});
