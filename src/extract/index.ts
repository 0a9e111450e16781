/**
 * IOC and entity extraction: refanging, validation, warninglist flagging.
 * Pure: no I/O; warninglists are passed in (loaded by `src/assets`).
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
