// What an address is, for the password rules: loopback or not (a password
// over plain TCP is refused from anywhere else), and the key its failed
// logins are counted under.
import net from 'node:net';

/** "::ffff:10.0.0.1" is the IPv4 address 10.0.0.1, as a dual-stack socket reports it. */
function unmapped(address: string): string {
	const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
	return mapped ? mapped[1] : address;
}

/** 127.0.0.0/8, ::1, and both written as IPv4-mapped IPv6. */
export function isLoopback(address: string | undefined): boolean {
	if (address === undefined) return false;
	const plain = unmapped(address.replace(/%.*$/, ''));
	if (net.isIPv4(plain)) return plain.startsWith('127.');
	return net.isIPv6(plain) && expandIPv6(plain) === '0000:0000:0000:0000:0000:0000:0000:0001';
}

/** The eight groups of an IPv6 address, four hex digits each; undefined when it is not one. */
function expandIPv6(address: string): string | undefined {
	if (!net.isIPv6(address)) return undefined;
	let text = address.toLowerCase();
	// A trailing dotted quad is the last two groups.
	const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
	if (quad) {
		const [a, b, c, d] = quad.slice(1).map(Number);
		text = text.slice(0, quad.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
	}

	const [head, tail] = text.split('::') as [string, string | undefined];
	const headGroups = head === '' ? [] : head.split(':');
	const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
	const zeros = tail === undefined ? [] : Array.from({length: 8 - headGroups.length - tailGroups.length}, () => '0');
	return [...headGroups, ...zeros, ...tailGroups].map(group => group.padStart(4, '0')).join(':');
}

/**
 * The key failed logins from `address` count under: an IPv4 address as is,
 * an IPv6 address by its /64, since one host is routinely given a whole /64
 * and could otherwise try again from a fresh address each time.
 */
export function addressKey(address: string | undefined): string {
	if (address === undefined) return '?';
	const plain = unmapped(address.replace(/%.*$/, ''));
	const expanded = expandIPv6(plain);
	if (expanded === undefined) return plain;
	return `${expanded.split(':').slice(0, 4).join(':')}::/64`;
}
