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
