// What leaving now would lose, in words, so that leaving is never silent:
// messages still waiting for the server, and the room you host for others.

export type LeaveCheck = {
	/** Your messages not yet confirmed by the server. */
	readonly pendingMessages: number;
	/** True when this process hosts the room (--serve): leaving closes it. */
	readonly hosting: boolean;
	/** Users in the room besides you. */
	readonly others: number;
};

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** Why leaving should be confirmed, or undefined when nothing would be lost. */
export function leaveRisk({pendingMessages, hosting, others}: LeaveCheck): string | undefined {
	const risks: string[] = [];
	if (pendingMessages > 0) risks.push(`${plural(pendingMessages, 'message is', 'messages are')} not sent yet and would be lost`);
	if (hosting && others > 0) risks.push(`you host this room: leaving closes it for ${plural(others, 'other user', 'other users')}`);
	return risks.length === 0 ? undefined : risks.join('; ');
}
