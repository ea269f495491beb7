import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { isLoopback } from './is-loopback.js';

/** What the server accepts in `Host` and `Origin` headers. */
export interface OriginPolicy {
  /** Address the server is bound to. */
  readonly host: string;
  /** Port it listens on. */
  readonly port: number;
  /** Extra accepted `Host` values (`name` or `name:port`), e.g. a LAN name when bound to 0.0.0.0. */
  readonly allowedHosts: readonly string[];
  /** Extra accepted origins (`http://name:port`), e.g. a dashboard served by a dev server. */
  readonly allowedOrigins: readonly string[];
}

/**
 * Checks `Host` against DNS rebinding (the server answers only to loopback names, IP literals and
 * the names it was given: a rebinding attack needs a name of the attacker's, as Vite and
 * webpack-dev-server reason since their fixes; bound beyond loopback, the same) and
 * `Origin` against cross-site WebSocket hijacking (a page from another origin cannot open the socket:
 * browsers always send `Origin`; non-browser clients send none and are let through).
 * Returns why the request is refused, or undefined when it is accepted.
 */
export function refusalReason(headers: IncomingHttpHeaders, policy: OriginPolicy): string | undefined {
  const host = headers.host;
  if (host === undefined) return 'missing Host header';
  const parsed = splitHost(host);
  const hostAllowed =
    parsed !== undefined &&
    (policy.allowedHosts.includes(host) ||
      policy.allowedHosts.includes(parsed.name) ||
      isIP(parsed.name.replace(/^\[|\]$/g, '')) !== 0 ||
      (isLoopback(parsed.name) && (parsed.port ?? 80) === policy.port));
  if (!hostAllowed)
    return `Host ${JSON.stringify(host)} is not one this server answers to (add it with --allowed-hosts / allowedHosts)`;
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

function splitHost(hostHeader: string): { name: string; port: number | undefined } | undefined {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostHeader);
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase(), port: match[2] === undefined ? undefined : Number(match[2]) };
}
