import {useEffect, useState} from 'react';

/**
 * A clock that ticks every `intervalMs` while `active`, for the spinner and
 * the reconnect countdown. Idle otherwise, so a quiet chat renders nothing.
 */
export function useTicker(active: boolean, intervalMs = 120): {now: number; frame: number} {
	const [tick, setTick] = useState({now: Date.now(), frame: 0});
	useEffect(() => {
		if (!active) return;
		setTick(previous => ({now: Date.now(), frame: previous.frame + 1}));
		const timer = setInterval(() => {
			setTick(previous => ({now: Date.now(), frame: previous.frame + 1}));
		}, intervalMs);
		return () => {
			clearInterval(timer);
		};
	}, [active, intervalMs]);
	return tick;
}
