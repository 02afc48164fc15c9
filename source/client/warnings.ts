// The client's warnings (odd frames, events that make no sense), counted per
// connection so that a hostile server cannot flood the log with them.

/** Warnings per connection before the rest are hidden. */
export const MAX_WARNINGS_PER_CONNECTION = 50;

export class Warnings {
	#count = 0;
	#namesakeWarned = false;

	constructor(private readonly say: (message: string) => void) {}

	/** A new connection starts a new count. */
	reset(): void {
		this.#count = 0;
		this.#namesakeWarned = false;
	}

	warn(message: string): void {
		this.#count++;
		if (this.#count <= MAX_WARNINGS_PER_CONNECTION) this.say(message);
		else if (this.#count === MAX_WARNINGS_PER_CONNECTION + 1) this.say('too many warnings; the rest are hidden until the next connection');
	}

	/** At most once per connection (a server that lets others use our name would repeat it on every line). */
	warnNamesake(message: string): void {
		if (this.#namesakeWarned) return;
		this.#namesakeWarned = true;
		this.warn(message);
	}
}
