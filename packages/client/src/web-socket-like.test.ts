import { describe, expect, it } from 'vitest';
import { webSocketUrl } from './web-socket-like.js';

describe('webSocketUrl', () => {
  it('maps the server URL to its WebSocket endpoint', () => {
    expect(webSocketUrl('http://127.0.0.1:4400')).toBe('ws://127.0.0.1:4400/ws');
    expect(webSocketUrl('https://example.org/')).toBe('wss://example.org/ws');
    expect(webSocketUrl('ws://h:1/ws')).toBe('ws://h:1/ws');
  });

  it('names a URL it cannot use', () => {
    expect(() => webSocketUrl('ftp://h')).toThrow(/ftp:/);
  });
});
