// Leaving, guarded: when leaving now would lose something (messages not yet
// confirmed, a hosted room others are in) the first request says what and
// the next one leaves. A changed risk asks again; a sent message resets it.
// A question whose risk is gone (the pending messages went out, the guests
// left) is taken back, so the screen never asks about something that no
// longer holds.
import {useCallback, useRef} from 'react';
import {leaveRisk, type LeaveCheck} from './leave-check.js';

/** How the user asked to leave, as they would press or type it again to confirm. */
export type LeaveHow = 'Ctrl-C' | 'Ctrl-D' | '/quit';

export type LeaveGuardOptions = {
	/** What leaving would lose, read at the moment of asking. */
	readonly check: () => LeaveCheck;
	/** Shows the question. */
	readonly ask: (question: string) => void;
	/** Takes back the question asked, if it is still shown. */
	readonly withdraw: (question: string) => void;
	/** Leaves for real. */
	readonly leave: (reason?: string) => void;
	/** True once leaving has started. */
	readonly leaving: () => boolean;
	/** A second Ctrl-C while leaving: do not wait for the server. */
	readonly leaveNow: () => void;
};

export type LeaveGuard = {
	readonly request: (how: LeaveHow, reason?: string) => void;
	/** The user sent a message: what they were warned of is no longer what they know. */
	readonly reset: () => void;
	/** Something changed: a question whose risk no longer holds is taken back. */
	readonly refresh: () => void;
};

export function useLeaveGuard(options: LeaveGuardOptions): LeaveGuard {
	const latest = useRef(options);
	latest.current = options;
	const warnedOf = useRef<string | undefined>(undefined);
	const asked = useRef<string | undefined>(undefined);

	const request = useCallback((how: LeaveHow, reason?: string) => {
		const {check, ask, leave, leaving, leaveNow} = latest.current;
		if (leaving()) {
			if (how === 'Ctrl-C') leaveNow();
			return;
		}
		const risk = leaveRisk(check());
		if (risk !== undefined && risk !== warnedOf.current) {
			warnedOf.current = risk;
			asked.current = `${risk}. ${how} again to leave.`;
			ask(asked.current);
			return;
		}
		leave(reason);
	}, []);
	const reset = useCallback(() => {
		warnedOf.current = undefined;
		asked.current = undefined;
	}, []);
	const refresh = useCallback(() => {
		const {check, withdraw, leaving} = latest.current;
		if (warnedOf.current === undefined || leaving()) return;
		if (leaveRisk(check()) === warnedOf.current) return;
		const question = asked.current!;
		warnedOf.current = undefined;
		asked.current = undefined;
		withdraw(question);
	}, []);
	return {request, reset, refresh};
}
