// Which room channels this node listens to: those of the rooms it has local
// members in, and no others, so Redis sends a node only the traffic of its
// own rooms. Sharded pub/sub (SSUBSCRIBE), so that on a Redis Cluster a
// room's channel lives on the shard that holds the room's keys.
//
// Joins and parts may race; each channel's changes run one at a time and
// end in the state last asked for, so a join never waits behind an
// unsubscribe that would leave its room deaf.
import type {RedisClient} from '../store/redis-connect.js';

export class ChannelSubscriptions {
	readonly #subscriber: RedisClient;
	/** What the hub wants: each channel with how many holders want it (a room with local members, a join under way). */
	readonly #holders = new Map<string, number>();
	/** What Redis has confirmed on the current connection. */
	readonly #confirmed = new Set<string>();
	readonly #settling = new Map<string, Promise<void>>();

	constructor(subscriber: RedisClient) {
		this.#subscriber = subscriber;
	}

	/**
	 * One more holder wants `channel`. Resolves once Redis confirmed the
	 * subscription, so what is published next reaches us; rejects when Redis
	 * is unreachable (the hold stays: a reconnect subscribes again).
	 */
	async hold(channel: string): Promise<void> {
		this.#holders.set(channel, (this.#holders.get(channel) ?? 0) + 1);
		return this.#settle(channel);
	}

	/** One holder less; the last one unsubscribes. Rejects when Redis is unreachable (the connection forgets it anyway). */
	async release(channel: string): Promise<void> {
		const count = (this.#holders.get(channel) ?? 0) - 1;
		if (count > 0) {
			this.#holders.set(channel, count);
			return;
		}

		this.#holders.delete(channel);
		return this.#settle(channel);
	}

	/** After a reconnect: the new connection has confirmed nothing yet; subscribe to every wanted channel again. */
	async resubscribe(): Promise<void> {
		this.#confirmed.clear();
		await Promise.all([...this.#holders.keys()].map(async channel => this.#settle(channel)));
	}

	async #settle(channel: string): Promise<void> {
		for (;;) {
			const running = this.#settling.get(channel);
			if (!running) break;
			await running.catch(() => {});
		}

		if (this.#holders.has(channel) === this.#confirmed.has(channel)) return;
		const run = (async () => {
			while (this.#holders.has(channel) !== this.#confirmed.has(channel)) {
				if (this.#holders.has(channel)) {
					await this.#subscriber.ssubscribe(channel);
					this.#confirmed.add(channel);
				} else {
					this.#confirmed.delete(channel);
					await this.#subscriber.sunsubscribe(channel);
				}
			}
		})();
		this.#settling.set(channel, run);
		try {
			await run;
		} finally {
			if (this.#settling.get(channel) === run) this.#settling.delete(channel);
		}
	}
}
