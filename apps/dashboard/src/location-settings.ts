/** The server to talk to: `?server=` when given, else the origin that served this page. */
export function serverUrl(location: Pick<Location, 'search' | 'origin'>): string {
  return new URLSearchParams(location.search).get('server') ?? location.origin;
}

/**
 * The launch token from the link the server printed (`#token=` preferred: fragments never reach
 * the server's logs; `?token=` accepted), kept for this tab so a reload keeps the controls working.
 */
export function launchToken(
  location: Pick<Location, 'search' | 'hash'>,
  storage: Pick<Storage, 'getItem' | 'setItem'>,
): string | undefined {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  const token = fromHash ?? new URLSearchParams(location.search).get('token');
  if (token) {
    storage.setItem('downhill.token', token);
    return token;
  }
  return storage.getItem('downhill.token') ?? undefined;
}

/** `?maxPoints=`: the size a long history is downsampled to (default 200,000 steps). */
export function maxPoints(location: Pick<Location, 'search'>): number | undefined {
  const text = new URLSearchParams(location.search).get('maxPoints');
  if (text === null) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 10)
    throw new RangeError(`?maxPoints= must be an integer >= 10, got ${JSON.stringify(text)}`);
  return value;
}
