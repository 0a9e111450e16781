/**
 * The public shapes of the extraction module. Later modules (features, graph,
 * HTTP) and the `cyberstreams extract` CLI contract depend on these names:
 * add types at the end, never rename one.
 */

/** Every indicator type the extractor reports, in the order the JSON output lists them. */
export const INDICATOR_TYPES = [
  'ipv4',
  'ipv6',
  'domain',
  'url',
  'email',
  'cve',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'asn',
  'cidr',
  'mac',
  'bitcoinAddress',
  'attackId',
  'registryKey',
  'filePath',
] as const;

/** One indicator type, e.g. `ipv4` or `attackId`. */
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** The key of the {@link Extraction} list that holds each type's unique values. */
export const LIST_KEY = {
  ipv4: 'ipv4s',
  ipv6: 'ipv6s',
  domain: 'domains',
  url: 'urls',
  email: 'emails',
  cve: 'cves',
  md5: 'md5s',
  sha1: 'sha1s',
  sha256: 'sha256s',
  sha512: 'sha512s',
  asn: 'asns',
  cidr: 'cidrs',
  mac: 'macs',
  bitcoinAddress: 'bitcoinAddresses',
  attackId: 'attackIds',
  registryKey: 'registryKeys',
  filePath: 'filePaths',
} as const satisfies Record<IndicatorType, string>;

/** A list key of {@link Extraction}, e.g. `ipv4s`. */
export type ListKey = (typeof LIST_KEY)[IndicatorType];

/** A warninglist that an indicator matched: the list's name and description as MISP publishes them. */
export interface WarninglistRef {
  name: string;
  description: string;
}

/**
 * One occurrence of an indicator in the input.
 *
 * `start`/`end` are offsets into the ORIGINAL input (JavaScript string
 * indexes, i.e. UTF-16 code units; `end` exclusive), so
 * `input.slice(start, end) === raw`. `value` is the refanged, validated,
 * normalised form (lower-case for hosts, hashes, e-mail; upper-case for CVE
 * ids). `warninglists` lists the warninglists the value matched (empty when
 * none matched or no index was given): matched indicators are kept and flagged,
 * never dropped.
 */
export interface IndicatorMatch {
  type: IndicatorType;
  value: string;
  raw: string;
  start: number;
  end: number;
  warninglists: WarninglistRef[];
}

/**
 * The result of {@link extractIndicators}: for each type, the unique values
 * in order of first appearance, plus every occurrence in `matches` (sorted by
 * `start`, then longest first).
 */
export type Extraction = { [K in ListKey]: string[] } & { matches: IndicatorMatch[] };
