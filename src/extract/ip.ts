import ipaddr from 'ipaddr.js';

/**
 * Parses a dotted-quad IPv4 address strictly: exactly four decimal octets,
 * each 0-255, no leading zeros (`010.1.1.1` is octal to some parsers and
 * decimal to others, so it is not an address we report). Returns the address
 * as an unsigned 32-bit number, or `null`.
 */
export function parseIPv4(text: string): number | null {
  let value = 0;
  let octets = 0;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || octet > 255) return null;
      value = value * 256 + octet;
      octets++;
      digits = 0;
      octet = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return null; // leading zero
      if (++digits > 3) return null;
      octet = octet * 10 + (c - 48);
    } else {
      return null;
    }
  }
  return octets === 4 ? value : null;
}

/**
 * Parses an IPv6 address (ipaddr.js) and returns it as 32 lower-case hex
 * digits, which compare lexicographically in numeric order, or `null`.
 * Zone ids (`%eth0`) are not accepted.
 */
export function parseIPv6Hex(text: string): string | null {
  if (text.includes('%') || !ipaddr.IPv6.isValid(text)) return null;
  const bytes = ipaddr.IPv6.parse(text).toByteArray();
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Number of hex digits in an IPv6 address, as used by {@link parseIPv6Hex}. */
export const IPV6_HEX_DIGITS = 32;
