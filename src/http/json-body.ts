import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../core/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The top-level array property of the JSON body whose elements are checked
     * one by one (the batch's `items`): a prototype-polluting key inside one
     * element replaces that element with a {@link RejectedItem} instead of
     * failing the whole body. Absent: any such key fails the body.
     */
    bodyItemsCheckedAlone?: string;
  }
}

/**
 * Stands in the parsed body for an array element that carried a
 * prototype-polluting key (see `bodyItemsCheckedAlone`), so the element itself
 * never reaches a handler; the handler answers that element with `error`.
 */
export class RejectedItem {
  constructor(readonly error: AppError) {}
}

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

/**
 * Whether a route's body schema is an object with no required property
 * (every field optional, e.g. `POST /api/v1/models/{family}/rollback`): then
 * an absent or empty body means `{}`.
 */
export function bodyIsOptional(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return false;
  const s = schema as { type?: unknown; required?: unknown };
  return s.type === 'object' && (!Array.isArray(s.required) || s.required.length === 0);
}

function invalid(message: string, field: string): AppError {
  return new AppError('CS_ERR_VALIDATION', message, { details: { fields: [{ field, message }] } });
}

const polluting = (path: string) => invalid(`The key "${path}" is not allowed (prototype pollution)`, path);

/**
 * For a body whose `itemsKey` array is checked item by item: the path of the
 * first prototype-polluting key outside that array's elements (then the whole
 * body fails), else undefined after replacing each element holding such a key
 * with a {@link RejectedItem}.
 */
function rejectPollutedItems(body: unknown, itemsKey: string): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return findForbiddenKey(body);
  for (const [key, value] of Object.entries(body)) {
    if (FORBIDDEN_KEYS.has(key)) return key;
    if (key === itemsKey && Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const inItem = findForbiddenKey(value[i]);
        if (inItem !== undefined) value[i] = new RejectedItem(polluting(`${itemsKey}.${i}.${inItem}`));
      }
      continue;
    }
    const inside = findForbiddenKey(value);
    if (inside !== undefined) return `${key}.${inside}`;
  }
  return undefined;
}

/**
 * Makes JSON the only body the API reads (Fastify's text/plain parser is
 * removed too, so any other type is a 415 CS_ERR_UNSUPPORTED_MEDIA_TYPE), and
 * replaces Fastify's JSON body parser with one whose errors name the problem:
 * an empty or malformed body is a 400 on `(body)`, and a prototype-polluting
 * key (`__proto__`, `constructor`, `prototype`, wherever it is nested) is a
 * 400 naming that key's path, except inside an element of the route's
 * `bodyItemsCheckedAlone` array, where it rejects that element alone. The
 * text is parsed with `JSON.parse`, which makes `"__proto__"` an own data
 * property and never sets an object's prototype, and the element holding it
 * is dropped before any handler sees the body. On a route whose body schema
 * requires nothing ({@link bodyIsOptional}), no body, or an empty one, is `{}`.
 * Body size limits still apply (Fastify enforces them before the parser runs).
 * Must be installed before the routes.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!bodyIsOptional(route.schema?.body)) return;
    // Without a body (and so without a content type) no parser runs: the body is undefined until here.
    const emptyIsObject = async (request: FastifyRequest) => {
      if (request.body === undefined) request.body = {};
    };
    const given = route.preValidation;
    route.preValidation =
      given === undefined ? [emptyIsObject] : [...(Array.isArray(given) ? given : [given]), emptyIsObject];
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.trim() === '' && bodyIsOptional(request.routeOptions.schema?.body)) {
      done(null, {});
      return;
    }
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
    const itemsKey = request.routeOptions.config?.bodyItemsCheckedAlone;
    const forbidden =
      itemsKey === undefined ? findForbiddenKey(parsed) : rejectPollutedItems(parsed, itemsKey);
    if (forbidden !== undefined) {
      done(polluting(forbidden), undefined);
      return;
    }
    done(null, parsed);
  });
}
