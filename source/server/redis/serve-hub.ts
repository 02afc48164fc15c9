// `serve --redis URL`: opens the cluster hub for the serve command. Imported
// lazily, and RedisHub imports ioredis lazily, so a server without --redis
// never loads either.
import {ServerOptionsError} from '../options.js';
import type {RedisHub} from './redis-hub.js';

/** The URL without its password, for messages. */
export function redactRedisUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return '(unparsable URL)';
	}
}

/**
 * Connects a RedisHub whose log lines go where the server's go. A bad URL or
 * an unreachable Redis rejects with a ServerOptionsError naming --redis.
 */
export async function openServeHub(url: string, log: (line: string) => void, quiet = false): Promise<RedisHub> {
	if (!/^rediss?:\/\//.test(url)) throw new ServerOptionsError(`--redis must be a redis:// or rediss:// URL, got "${redactRedisUrl(url)}"`);
	const {RedisHub} = await import('./redis-hub.js');
	try {
		return await RedisHub.connect(url, {log: quiet ? () => {} : line => log(`${new Date().toISOString()} ${line}`)});
	} catch (error) {
		throw new ServerOptionsError(`--redis ${redactRedisUrl(url)}: ${(error as Error).message}`);
	}
}
