// `serve --data`: a server SIGKILLed right after it acknowledged a burst of
// messages loses none of them. The server runs in a child process, so the
// kill is real; the statuses the clients got are the proof of acknowledgement.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {closeRawClients, connectUser, isStatus, type RawClient} from '../../helpers/raw-client.js';
import {killChildServers, useChildServers} from '../../resilience/child-server.js';
import {readWholeLog} from './log-reader.js';

const spawnServer = useChildServers();
const dir = mkdtempSync(path.join(tmpdir(), 'codechat-durable-'));

afterEach(async () => {
	await closeRawClients();
	await killChildServers();
});
afterAll(() => {
	rmSync(dir, {recursive: true, force: true});
});

type Ack = {seq: number; epoch: string; msg: string};

/** Collects the sender's acknowledged messages as their statuses arrive, in order. */
function collectAcks(client: RawClient, texts: string[], acks: Ack[], onAck: () => void): void {
	let next = 0;
	client.socket.on('data', () => {
		// The raw client has decoded the chunk by now (its own listener ran first).
		while (next < texts.length) {
			const item = client.inbox.find(candidate => candidate.type === 'frame' && isStatus(candidate.frame));
			if (!item || item.type !== 'frame') return;
			client.inbox.splice(client.inbox.indexOf(item), 1);
			const {success, seq, epoch} = item.frame as {success: boolean; seq: number; epoch: string};
			if (success) acks.push({seq, epoch, msg: texts[next]!});
			next++;
			onAck();
		}
	});
}

describe('serve --data under SIGKILL', () => {
	it('keeps every acknowledged message, with its seq and the epoch', async () => {
		const server = await spawnServer({dataDir: dir, rate: 0, quiet: true});
		const senders = await Promise.all(['ann', 'bob', 'cat'].map(async name => connectUser(server.port, name)));
		const acks: Ack[] = [];
		const killAfter = 600;
		const perSender = 10_000;
		let killed: Promise<void> | undefined;
		await new Promise<void>(resolve => {
			for (const [index, sender] of senders.entries()) {
				const texts = Array.from({length: perSender}, (_, n) => `${index}-${n}`);
				collectAcks(sender, texts, acks, () => {
					// Killed the moment the burst's acks are in, while the rest is still being written.
					if (acks.length >= killAfter && !killed) {
						killed = server.kill('SIGKILL');
						resolve();
					}
				});
				sender.send(texts.map(text => JSON.stringify({cmd: 'msg', msg: text}) + '\n').join(''));
			}
		});
		await killed;
		expect(acks.length).toBeGreaterThanOrEqual(killAfter);
		const restarted = await spawnServer({dataDir: dir, rate: 0, quiet: true});
		const reader = await connectUser(restarted.port, 'reader');
		const log = await readWholeLog(reader);
		expect(log.messages.map(message => message.seq)).toEqual(log.messages.map((_, index) => index + 1));
		// The kill came mid-stream: not everything sent was stored.
		expect(log.last).toBeLessThan(senders.length * perSender);
		const stored = new Map(log.messages.map(message => [message.seq, message]));
		for (const ack of acks) {
			expect(ack.epoch).toBe(log.epoch);
			expect(stored.get(ack.seq)?.msg, `acknowledged seq ${ack.seq}`).toBe(ack.msg);
		}
	});
});
