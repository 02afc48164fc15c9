// On a Redis Cluster a message is acknowledged only once its write reached a
// replica: after a turn's appends, one `WAIT 1 <timeout>` per master they
// touched, on the connection that wrote (WAIT counts that connection's own
// writes). A master that no replica confirms within the timeout fails the
// turn with `unavailable`; the client resends by id, which idempotency makes
// safe. (A single redis-server has no replica to wait for.)
import type {Cluster, Redis} from 'ioredis';
import {StoreError} from './message-log.js';
import {keySlot} from './redis-slot.js';

export type ReplicaWaitOptions = {timeoutMs: number; retrySeconds: number};

export class ReplicaWait {
	readonly #cluster: Cluster;
	readonly #options: ReplicaWaitOptions;

	constructor(cluster: Cluster, options: ReplicaWaitOptions) {
		this.#cluster = cluster;
		this.#options = options;
	}

	/** Resolves once a replica of every master holding one of `keys` has what was written to it; else rejects `unavailable`. */
	async confirm(keys: Iterable<string>): Promise<void> {
		const masters = new Set<Redis>();
		for (const key of keys) masters.add(this.#masterOf(key));
		const counts = await Promise.all([...masters].map(async master => master.wait(1, this.#options.timeoutMs).catch(() => 0)));
		if (counts.some(count => Number(count) < 1)) {
			throw new StoreError('unavailable', `no replica confirmed the write within ${this.#options.timeoutMs} ms (a failover under way?)`, {retry: this.#options.retrySeconds});
		}
	}

	#masterOf(key: string): Redis {
		const nodeKey = this.#cluster.slots[keySlot(key)]?.[0];
		const master = this.#cluster.nodes('master').find(node => `${node.options.host}:${node.options.port}` === nodeKey);
		if (!master) throw new StoreError('unavailable', 'the Redis Cluster has no master for a slot just written (a failover under way?)', {retry: this.#options.retrySeconds});
		return master;
	}
}
