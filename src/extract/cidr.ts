import { parseIPv4, parseIPv6Hex } from './ip.js';

/** An IP network as an inclusive address range: IPv4 as numbers, IPv6 as bigints. */
export type IpRange = { family: 4; first: number; last: number } | { family: 6; first: bigint; last: bigint };

/**
 * Parses `address` or `address/prefix` (IPv4 or IPv6) into the range of
 * addresses it covers; host bits are cleared (`10.1.2.3/8` covers
 * 10.0.0.0-10.255.255.255). A bare address is a one-address range.
 * Returns `null` for anything else.
 */
export function parseIpRange(text: string): IpRange | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? null : text.slice(slash + 1);
  if (prefixText !== null && !/^\d{1,3}$/.test(prefixText)) return null;
  const v4 = parseIPv4(addr);
  if (v4 !== null) {
    const prefix = prefixText === null ? 32 : Number(prefixText);
    if (prefix > 32) return null;
    const size = 2 ** (32 - prefix);
    const first = v4 - (v4 % size);
    return { family: 4, first, last: first + size - 1 };
  }
  const hex = parseIPv6Hex(addr);
  if (hex === null) return null;
  const prefix = prefixText === null ? 128 : Number(prefixText);
  if (prefix > 128) return null;
  const value = BigInt(`0x${hex}`);
  const size = 1n << BigInt(128 - prefix);
  const first = value - (value % size);
  return { family: 6, first, last: first + size - 1n };
}
