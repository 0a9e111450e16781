import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/index.js';

// Keys that would reach an object's prototype if the body were ever merged into another object.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The path of the first prototype-polluting key in a parsed JSON value, or
 * undefined. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function findForbiddenKey(value: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], path: path ? `${path}.${i}` : `${i}` });
      continue;
    }
    for (const key of Object.keys(v)) {
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return at;
      stack.push({ value: (v as Record<string, unknown>)[key], path: at });
    }
  }
  return undefined;
}

function invalid(message: string, field: string): AppError {
  return new AppError('CS_ERR_VALIDATION', message, { details: { fields: [{ field, message }] } });
}

/**
 * Makes JSON the only body the API reads (Fastify's text/plain parser is
 * removed too, so any other type is a 415 CS_ERR_UNSUPPORTED_MEDIA_TYPE), and
 * replaces Fastify's JSON body parser with one whose errors name the problem:
 * an empty or malformed body is a 400 on `(body)`, and a prototype-polluting
 * key (`__proto__`, `constructor`, `prototype`, wherever it is nested) is a
 * 400 naming that key's path. Body size limits still apply (Fastify enforces
 * them before the parser runs).
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(invalid('The body is empty; send a JSON object', '(body)'), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      done(invalid(`The body is not valid JSON: ${(err as Error).message}`, '(body)'), undefined);
      return;
    }
    const forbidden = findForbiddenKey(parsed);
    if (forbidden !== undefined) {
      done(invalid(`The key "${forbidden}" is not allowed (prototype pollution)`, forbidden), undefined);
      return;
    }
    done(null, parsed);
  });
}
