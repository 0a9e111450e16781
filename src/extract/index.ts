/**
 * IOC and entity extraction: refanging, validation, warninglist flagging.
 * Pure: no I/O; warninglists are passed in (loaded by `src/assets`).
 *
 * Reporting rules (what a caller can rely on):
 * - one indicator per stretch of text: a CIDR is not also an address, a
 *   domain inside an e-mail address, file path or registry key is not also a
 *   domain, hashes or paths inside a URL are not reported separately;
 * - except the host of a URL, which is also reported (domain, ipv4 or ipv6)
 *   with its own offsets: analysts block hosts;
 * - values are normalised: hosts, hashes, e-mail, IPv6, MAC lower-case; CVE
 *   ids upper-case; URL scheme and host lower-case, the rest as written;
 * - flagged indicators (warninglists) are kept, never dropped.
 * Known limits: IDN domains are found in punycode form only; registry keys
 * and Windows paths may contain blanks only inside a segment followed by
 * another separator ("Program Files\"); digits glued to an IPv4 address
 * ("1.2.3.42020-06") make it ambiguous, and it is skipped.
 */
export { isValidDomain } from './domain.js';
export type { CountOptions, ExtractOptions } from './extract.js';
export { countIndicators, emptyExtraction, extractIndicators } from './extract.js';
export { parseIPv4, parseIPv6Hex } from './ip.js';
export type { Refanged } from './refang.js';
export { refang } from './refang.js';
export type { Extraction, IndicatorMatch, IndicatorType, ListKey, WarninglistRef } from './types.js';
export { INDICATOR_TYPES, LIST_KEY } from './types.js';
export type {
  MispWarninglist,
  WarninglistFile,
  WarninglistMeta,
  WarninglistType,
} from './warninglist-data.js';
export {
  MispWarninglistSchema,
  WarninglistFileSchema,
  warninglistFileFromMisp,
} from './warninglist-data.js';
export type { WarninglistQuery } from './warninglist-index.js';
export { WarninglistIndex } from './warninglist-index.js';
