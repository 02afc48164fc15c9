// The name of the temporary copy /edit opens: a fixed stem and, at most, the
// shared file's extension when it is plain letters and digits, so the
// editor picks its syntax mode. Nothing else of the network's name reaches
// the file system: no separators, dots, spaces or control characters.

const plainExtension = /^[A-Za-z0-9_+-]{1,16}$/;

/** "shared.go" for "main.go"; "shared.txt" when the name has no plain extension. */
export function editFileName(sharedName: string): string {
	const dot = sharedName.lastIndexOf('.');
	const extension = dot > 0 ? sharedName.slice(dot + 1) : '';
	return plainExtension.test(extension) ? `shared.${extension}` : 'shared.txt';
}
