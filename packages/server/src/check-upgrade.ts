import type { IncomingHttpHeaders } from 'node:http';
import { isLoopback } from './is-loopback.js';

/** What the server accepts in `Host` and `Origin` headers. */
export interface OriginPolicy {
  /** Address the server is bound to. */
  readonly host: string;
  /** Port it listens on. */
  readonly port: number;
  /** Extra accepted `Host` values (`name:port`), e.g. a LAN name when bound to 0.0.0.0. */
  readonly allowedHosts: readonly string[];
  /** Extra accepted origins (`http://name:port`), e.g. a dashboard served by a dev server. */
  readonly allowedOrigins: readonly string[];
}

/**
 * Checks `Host` against DNS rebinding (a loopback server only answers to loopback names) and
 * `Origin` against cross-site WebSocket hijacking (a page from another origin cannot open the socket:
 * browsers always send `Origin`; non-browser clients send none and are let through).
 * Returns why the request is refused, or undefined when it is accepted.
 */
export function refusalReason(headers: IncomingHttpHeaders, policy: OriginPolicy): string | undefined {
  const host = headers.host;
  if (host === undefined) return 'missing Host header';
  const hostAllowed =
    policy.allowedHosts.includes(host) ||
    (isLoopback(policy.host) ? isLoopbackHost(host, policy.port) : policy.allowedHosts.length === 0);
  if (!hostAllowed) return `Host ${JSON.stringify(host)} is not one this server answers to`;
  const origin = headers.origin;
  if (origin === undefined) return undefined;
  if (policy.allowedOrigins.includes(origin)) return undefined;
  let originHost: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return `Origin ${JSON.stringify(origin)} is not allowed`;
    originHost = url.host;
  } catch {
    return `Origin ${JSON.stringify(origin)} is not a URL`;
  }
  // Same origin as the page the server itself served.
  if (originHost === host) return undefined;
  return `Origin ${JSON.stringify(origin)} is not allowed (start the server with allowedOrigins to permit it)`;
}

function isLoopbackHost(hostHeader: string, port: number): boolean {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader);
  if (!match) return false;
  const [, name, portText] = match;
  return isLoopback(name!) && (portText === undefined ? port === 80 : Number(portText) === port);
}
