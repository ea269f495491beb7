import { describe, expect, it } from 'vitest';
import { launchToken } from './location-settings.js';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const map = new Map<string, string>();
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) };
}

describe('launchToken', () => {
  it('takes the token from the link and keeps it per server', () => {
    const storage = memoryStorage();
    expect(launchToken({ hash: '#token=abc', search: '' }, storage, 'http://a:1')).toEqual({
      token: 'abc',
      fromLink: true,
    });
    expect(launchToken({ hash: '', search: '' }, storage, 'http://a:1')).toEqual({
      token: 'abc',
      fromLink: false,
    });
    // Another server in the same tab has its own (none yet).
    expect(launchToken({ hash: '', search: '' }, storage, 'http://b:2')).toEqual({
      token: undefined,
      fromLink: false,
    });
    expect(launchToken({ hash: '', search: '?token=q' }, storage, 'http://b:2').token).toBe('q');
  });
});
