import pino, { type Logger } from 'pino';
import type { Config } from '../config/index.js';

/** The process logger: JSON lines on stdout; secrets redacted wherever they appear. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.apiKey', '*.password'],
  });
}
