/** The server to talk to: `?server=` when given, else the origin that served this page. */
export function serverUrl(location: Pick<Location, 'search' | 'origin'>): string {
  return new URLSearchParams(location.search).get('server') ?? location.origin;
}

/**
 * The launch token from the link the server printed (`#token=` preferred: fragments never reach
 * the server's logs; `?token=` accepted), kept per server in this tab's storage so a reload (or a
 * server restart: the server keeps its token in its data directory) keeps the controls working.
 * `fromLink` says whether it came from the link (the page then drops it from the address bar, so
 * a copied link never carries it).
 */
export function launchToken(
  location: Pick<Location, 'search' | 'hash'>,
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  server: string,
): { token: string | undefined; fromLink: boolean } {
  const key = `downhill.token:${server}`;
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  const token = fromHash ?? new URLSearchParams(location.search).get('token');
  if (token) {
    storage.setItem(key, token);
    return { token, fromLink: true };
  }
  return { token: storage.getItem(key) ?? undefined, fromLink: false };
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
