// --serve's in-process server: where others reach it, and what its guests are
// told when the host quits.
import {afterEach, describe, expect, it} from 'vitest';
import {hostServer} from '../../source/cli/hosting.js';
import {closeRawClients, connectUser} from '../helpers/raw-client.js';

afterEach(closeRawClients);

describe('hostServer', () => {
	it('tells its guests, on stop, that it will not be back', async () => {
		const hosted = await hostServer('127.0.0.1', 0);
		expect(hosted.connectHost).toBe('127.0.0.1');
		expect(hosted.shareAddress).toBe(`127.0.0.1:${hosted.server.port}`);
		const guest = await connectUser(hosted.server.port, 'guest');
		await hosted.stop('alice');
		await guest.waitClosed();
		// Who left and how; the guest's client says that the room is closed.
		expect(guest.inbox).toEqual([{type: 'frame', frame: {cmd: 'server-closing', msg: 'alice stopped hosting', reconnect: false}}]);
	});
});
