/** Variable names whose whole value is a secret (none in the schema yet; a future `*_TOKEN` is covered). */
const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|CREDENTIALS|API_KEY|PRIVATE_KEY)/i;

/** `scheme://user:password@`: the password is everything between the first `:` and the last `@` before the path. */
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^/?#]*@/i;

/** Query parameters that carry a password in a connection string (`postgres://host/db?password=...`). */
const QUERY_SECRET = /([?&](?:password|pass|pwd|secret|token|sslpassword)=)[^&#]*/gi;

/**
 * The value of environment variable `name` as a configuration error may show
 * it: a secret-named variable entirely as `***`, and in any URL-like value the
 * password of its user info and password query parameters as `***`
 * (`postgresx://user:s3cret@127.0.0.1/qa2` -> `postgresx://user:***@127.0.0.1/qa2`).
 * Works on values that are not valid URLs, since those are the ones reported. Pure.
 */
export function maskConfigValue(name: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (SECRET_NAME.test(name)) return '***';
  return value.replace(URL_PASSWORD, '$1:***@').replace(QUERY_SECRET, '$1***');
}
