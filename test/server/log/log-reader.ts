// Reads a room's whole log over `history`, page after page, as a client
// that resumes does: `after` the last seq it has, until `more` is false.
import type {Frame, RawClient} from '../../helpers/raw-client.js';

export type WholeLog = {epoch: string; first: number; last: number; messages: Array<Frame & {seq: number; msg: string; user: string; id?: string}>};

export async function readWholeLog(client: RawClient, timeoutMs?: number): Promise<WholeLog> {
	const messages: WholeLog['messages'] = [];
	let after = 0;
	for (;;) {
		client.sendFrame({cmd: 'history', after, limit: 1000});
		const page = (await client.nextStatus(timeoutMs)) as unknown as {success: boolean; messages: WholeLog['messages']; epoch: string; first: number; last: number; more: boolean; 'error-msg': string};
		if (!page.success) throw new Error(`history failed: ${page['error-msg']}`);
		messages.push(...page.messages);
		if (page.messages.length > 0) after = page.messages.at(-1)!.seq;
		if (!page.more) return {epoch: page.epoch, first: page.first, last: page.last, messages};
	}
}
