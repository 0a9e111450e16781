import { domainToUnicode } from 'node:url';
import tlds from 'tlds' with { type: 'json' };

/**
 * The IANA root-zone TLDs as the `tlds` package (MIT) publishes them, in
 * lower case; internationalised TLDs are in Unicode (`рф`), so punycode TLDs
 * (`xn--p1ai`) are decoded before the lookup.
 */
const TLDS: ReadonlySet<string> = new Set(tlds.map((t) => t.toLowerCase()));

/**
 * TLDs that are far more often file extensions in threat reports
 * (`invoice.zip`, `readme.md`, `setup.py`, `install.sh`, `libx.so`,
 * `update.cab`, `lure.one`) than two-label domains. Such a name is reported
 * as a domain only when it was defanged (`evil[.]zip`) or has three or more
 * labels (`www.evil.zip`): the writer then clearly meant a host.
 */
const FILE_EXTENSION_TLDS: ReadonlySet<string> = new Set([
  'zip',
  'mov',
  'md',
  'py',
  'sh',
  'so',
  'cab',
  'pm',
  'one',
]);

/** True when `label` (lower case, ASCII or punycode) is an IANA top-level domain. */
export function isKnownTld(label: string): boolean {
  if (TLDS.has(label)) return true;
  if (!label.startsWith('xn--')) return false;
  const unicode = domainToUnicode(label);
  return unicode !== '' && TLDS.has(unicode);
}

/**
 * Validates a host name as written in the text (labels already checked for
 * shape by the scanner: 1-63 letters, digits or hyphens, not starting or
 * ending with a hyphen). Checks the total length (253), that the last label
 * is an IANA TLD, and two rules against prose and code:
 * - a two-label name whose TLD is a common file extension is a file name
 *   unless it was defanged (`wasDefanged`);
 * - a mixed-case name with an upper-case TLD (`System.IO`) is code.
 */
export function isValidDomain(host: string, wasDefanged: boolean): boolean {
  if (host.length > 253) return false;
  const dot = host.lastIndexOf('.');
  if (dot <= 0) return false;
  const tldRaw = host.slice(dot + 1);
  const tld = tldRaw.toLowerCase();
  if (!isKnownTld(tld)) return false;
  if (!wasDefanged && FILE_EXTENSION_TLDS.has(tld) && host.indexOf('.') === dot) return false;
  if (tldRaw !== tld && host.slice(0, dot) !== host.slice(0, dot).toUpperCase()) return false;
  return true;
}
