// Which Redis Cluster slot a key lives in: CRC16 (XMODEM) of the key, or of
// its hash tag (the text between the first `{` and the next `}`, when not
// empty), modulo 16,384, as the cluster specification defines it.

const TABLE = (() => {
	const table = new Uint16Array(256);
	for (let byte = 0; byte < 256; byte++) {
		let crc = byte << 8;
		for (let bit = 0; bit < 8; bit++) crc = crc & 0x80_00 ? ((crc << 1) ^ 0x10_21) & 0xff_ff : (crc << 1) & 0xff_ff;
		table[byte] = crc;
	}

	return table;
})();

export const CLUSTER_SLOTS = 16_384;

export function keySlot(key: string): number {
	const open = key.indexOf('{');
	const close = open < 0 ? -1 : key.indexOf('}', open + 1);
	const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
	let crc = 0;
	for (const byte of Buffer.from(hashed)) crc = ((crc << 8) & 0xff_ff) ^ TABLE[((crc >> 8) ^ byte) & 0xff]!;
	return crc % CLUSTER_SLOTS;
}
