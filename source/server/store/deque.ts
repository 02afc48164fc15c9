// A growable ring buffer: O(1) push at the back and shift at the front, and
// indexed reads, which is what a capped log needs (Array#shift is O(n)).
export class Deque<T> {
	#items: Array<T | undefined> = new Array<T | undefined>(16);
	#head = 0;
	#length = 0;

	get length(): number {
		return this.#length;
	}

	push(item: T): void {
		if (this.#length === this.#items.length) this.#grow();
		this.#items[(this.#head + this.#length) % this.#items.length] = item;
		this.#length++;
	}

	shift(): T | undefined {
		if (this.#length === 0) return undefined;
		const item = this.#items[this.#head];
		this.#items[this.#head] = undefined;
		this.#head = (this.#head + 1) % this.#items.length;
		this.#length--;
		return item;
	}

	/** The item `index` places from the front; undefined out of range. */
	at(index: number): T | undefined {
		if (index < 0 || index >= this.#length) return undefined;
		return this.#items[(this.#head + index) % this.#items.length];
	}

	#grow(): void {
		const larger = new Array<T | undefined>(this.#items.length * 2);
		for (let index = 0; index < this.#length; index++) larger[index] = this.at(index);
		this.#items = larger;
		this.#head = 0;
	}
}
