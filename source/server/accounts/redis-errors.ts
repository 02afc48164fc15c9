// A Redis failure as the StoreError the server answers `unavailable` with.
import {StoreError} from '../store/message-log.js';

/** Seconds a client is told to wait when Redis does not answer. */
const REDIS_RETRY_SECONDS = 2;

export function redisUnavailable(error: unknown): StoreError {
	if (error instanceof StoreError) return error;
	return new StoreError('unavailable', `Redis is not answering (${(error as Error).message}); try again shortly`, {cause: error, retry: REDIS_RETRY_SECONDS});
}

/** One reply per command of a MULTI, as ioredis gives them. */
export type Replies = Array<[Error | null, unknown]>;

/** Runs a Redis call; any failure becomes `unavailable`. */
export async function redisCall<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		throw redisUnavailable(error);
	}
}

/** Runs a MULTI; an aborted transaction or any failed command becomes `unavailable`. */
export async function redisExec(pipeline: {exec(): Promise<Replies | null>}): Promise<Replies> {
	const replies = await redisCall(async () => pipeline.exec());
	if (replies === null) throw redisUnavailable(new Error('transaction aborted'));
	const failed = replies.find(([error]) => error);
	if (failed) throw redisUnavailable(failed[0]);
	return replies;
}
