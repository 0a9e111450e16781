import { isValidDomain } from './domain.js';
import { parseIPv4, parseIPv6Hex } from './ip.js';

/** The host of a URL, with its offsets inside the URL text. */
export interface UrlHost {
  type: 'domain' | 'ipv4' | 'ipv6';
  /** Lower-cased host (IPv6 without brackets). */
  value: string;
  /** Offset of the host inside the (trimmed) URL text. */
  start: number;
  /** Exclusive end of the host inside the URL text. */
  end: number;
}

/** A validated URL: its normalised value, the length it keeps after trimming, and its host. */
export interface ParsedUrl {
  /** Scheme and host in lower case, the rest as written. */
  value: string;
  /** Length of the URL text after trailing punctuation was trimmed. */
  length: number;
  host: UrlHost;
}

const TRAILING_PUNCTUATION = new Set([...'.,;:!?\'"*\u2019\u201D']);
const CLOSERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/** Count of `ch` in `s`. */
function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * Drops punctuation that ends the sentence rather than the URL: `.,;:!?'"*`
 * and a closing bracket without its opening one (`(see http://x.com/a)`),
 * while keeping balanced ones (`/wiki/Foo_(bar)`).
 */
export function trimUrl(text: string): string {
  let s = text;
  for (;;) {
    const last = s[s.length - 1];
    if (last === undefined) return s;
    if (TRAILING_PUNCTUATION.has(last)) {
      s = s.slice(0, -1);
      continue;
    }
    const opener = CLOSERS[last];
    if (opener !== undefined && count(s, last) > count(s, opener)) {
      s = s.slice(0, -1);
      continue;
    }
    return s;
  }
}

/**
 * Validates and normalises a URL candidate `scheme://authority[path]` found
 * in refanged text. The host must be a valid domain (IANA TLD), IPv4 or
 * bracketed IPv6 address; a port, if any, must be 1-65535. Returns `null`
 * for anything else (`http://localhost`, `http://intranet/`, `http://999.1.1.1`).
 *
 */
export function parseUrl(candidate: string): ParsedUrl | null {
  const text = trimUrl(candidate);
  const sep = text.indexOf('://');
  if (sep <= 0) return null;
  const authStart = sep + 3;
  let authEnd = text.length;
  for (let i = authStart; i < text.length; i++) {
    const c = text[i];
    if (c === '/' || c === '?' || c === '#') {
      authEnd = i;
      break;
    }
  }
  const authority = text.slice(authStart, authEnd);
  const at = authority.lastIndexOf('@');
  const hostPortStart = at + 1; // 0 without userinfo
  const hostPort = authority.slice(hostPortStart);

  let hostText: string;
  let hostOffset = authStart + hostPortStart;
  let port = '';
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) return null;
    hostText = hostPort.slice(1, close);
    hostOffset += 1;
    const rest = hostPort.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return null;
    port = rest.slice(1);
    if (rest === ':') return null;
  } else {
    const colon = hostPort.indexOf(':');
    hostText = colon < 0 ? hostPort : hostPort.slice(0, colon);
    if (colon >= 0) {
      port = hostPort.slice(colon + 1);
      if (port === '') return null;
    }
  }
  if (port !== '' && (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)) return null;
  if (hostText === '') return null;

  let host: UrlHost;
  const lowerHost = hostText.toLowerCase();
  const hostEnd = hostOffset + hostText.length;
  if (hostPort.startsWith('[')) {
    if (parseIPv6Hex(hostText) === null) return null;
    host = { type: 'ipv6', value: lowerHost, start: hostOffset, end: hostEnd };
  } else if (/^[\d.]+$/.test(hostText)) {
    if (parseIPv4(hostText) === null) return null;
    host = { type: 'ipv4', value: hostText, start: hostOffset, end: hostEnd };
  } else {
    if (!/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,126}[a-z0-9-]{2,63}$/i.test(hostText)) return null;
    // A scheme says the writer meant a host: the file-extension rule does not apply (http://dump.zip).
    if (!isValidDomain(hostText, true)) return null;
    host = { type: 'domain', value: lowerHost, start: hostOffset, end: hostEnd };
  }
  const value =
    text.slice(0, sep).toLowerCase() +
    text.slice(sep, hostOffset) +
    lowerHost +
    text.slice(hostOffset + hostText.length);
  return { value, length: text.length, host };
}
