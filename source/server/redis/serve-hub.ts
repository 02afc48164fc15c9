// `serve --redis URL[,URL...]`: opens the cluster hub for the serve command.
// Imported lazily, and RedisHub imports ioredis lazily, so a server without
// --redis never loads either.
import {ServerOptionsError} from '../options.js';
import {redactRedisUrl, redisSeeds} from '../store/redis-connect.js';
import type {RedisHub} from './redis-hub.js';

/** Several seeds of one cluster are named by the first. */
export function describeRedis(spec: string): string {
	const [first, ...rest] = spec.split(',');
	return redactRedisUrl(first!.trim()) + (rest.length > 0 ? ` (+${rest.length} seeds)` : '');
}

/**
 * Connects a RedisHub whose log lines go where the server's go. A bad URL or
 * an unreachable Redis rejects with a ServerOptionsError naming --redis.
 */
export async function openServeHub(spec: string, log: (line: string) => void, quiet = false): Promise<RedisHub> {
	try {
		redisSeeds(spec);
	} catch (error) {
		throw new ServerOptionsError(`--redis must be a redis:// or rediss:// URL, or several separated by commas: ${(error as Error).message}`);
	}

	const {RedisHub} = await import('./redis-hub.js');
	try {
		return await RedisHub.connect(spec, {log: quiet ? () => {} : line => log(`${new Date().toISOString()} ${line}`)});
	} catch (error) {
		throw new ServerOptionsError(`--redis ${describeRedis(spec)}: ${(error as Error).message}`);
	}
}
