/** Fills in defaults; an option given as undefined takes its default too (a spread alone would keep the undefined). */
export function withDefaults<T extends object>(defaults: T, partial: Partial<T>): T {
	const given = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
	return {...defaults, ...given} as T;
}
