// The key cluster tests run on both Redis backends the server supports: one
// redis-server and a Redis Cluster (3 masters, 3 replicas). Each backend is
// started once, in the beforeAll of its describe block:
//
//   describe.each(REDIS_BACKENDS)('the log, on %s', backend => {
//     const redis = useRedisBackend(backend);
//     it('...', async () => { ... startNode(redis.url) ... });
//   });
//   afterAll(stopRedisServers);
import {beforeAll} from 'vitest';
import {startRedisCluster} from './redis-cluster.js';
import {startRedis} from './redis.js';

export const REDIS_BACKENDS = ['one redis-server', 'a Redis Cluster'] as const;
export type RedisBackend = (typeof REDIS_BACKENDS)[number];

/** The backend's `--redis` value, set once the describe block's beforeAll has run. */
export function useRedisBackend(backend: RedisBackend): {readonly url: string} {
	const started = {url: ''};
	beforeAll(async () => {
		started.url = backend === 'one redis-server' ? (await startRedis()).url : (await startRedisCluster()).url;
	});
	return started;
}
