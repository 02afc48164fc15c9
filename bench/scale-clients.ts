// Child process of the scale bench: opens many connections, sends connect on
// each and waits for the welcome status, then keeps reading (and discarding)
// what the server sends, so nothing piles up in the server's send queues.
// Source addresses are spread over 127.0.0.2, 127.0.0.3, ... so a run never
// runs short of ephemeral ports. Arguments: PORT COUNT [NAME_PREFIX] [FIRST_ADDRESS]
// (the last octet of the first source address: two of these children joining
// two nodes use different names and addresses). Reports {type:'connected',
// count, seconds, quietSeconds, bytes} (bytes: all the server sent, once quiet).
import net from 'node:net';

const perAddress = 5000;
const inFlight = 256;
let lastData = 0;
let bytes = 0;

/** Resolves once nothing has arrived for `quietMs`: the join announcements have all been delivered. */
async function quiet(quietMs: number): Promise<void> {
	while (performance.now() - lastData < quietMs) await new Promise(resolve => setTimeout(resolve, 100));
}

function connectOne(port: number, index: number, sockets: net.Socket[], prefix: string, firstAddress: number): Promise<void> {
	const localAddress = `127.0.0.${firstAddress + Math.floor(index / perAddress)}`;
	return new Promise((resolve, reject) => {
		const socket = net.connect({port, host: '127.0.0.1', localAddress});
		let seen = '';
		let welcomed = false;
		socket.on('error', reject);
		socket.on('connect', () => socket.write(`{"cmd":"connect","username":"${prefix}${index}"}\n`));
		socket.on('data', (chunk: Buffer) => {
			lastData = performance.now();
			bytes += chunk.length;
			if (welcomed) return;
			// Enter events for others may come before our own welcome.
			seen += chunk.toString('latin1');
			if (seen.includes('"success":true')) {
				welcomed = true;
				seen = '';
				sockets.push(socket);
				resolve();
			} else if (seen.includes('"success":false')) reject(new Error(`connect refused: ${seen.slice(0, 200)}`));
		});
	});
}

async function main(): Promise<void> {
	const port = Number(process.argv[2]);
	const count = Number(process.argv[3]);
	const prefix = process.argv[4] ?? 'idle';
	const firstAddress = Number(process.argv[5] ?? 2);
	const sockets: net.Socket[] = [];
	const started = performance.now();
	let next = 0;
	const lane = async () => {
		while (next < count) await connectOne(port, next++, sockets, prefix, firstAddress);
	};

	await Promise.all(Array.from({length: Math.min(inFlight, count)}, lane));
	const seconds = (performance.now() - started) / 1000;
	await quiet(500);
	process.send!({type: 'connected', count: sockets.length, seconds, quietSeconds: (performance.now() - started) / 1000, bytes});
	process.on('disconnect', () => process.exit(0));
}

main().catch(error => {
	process.send!({type: 'error', message: String(error)});
});
