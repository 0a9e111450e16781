import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI 3.1 document at `/docs/json` (and `/docs/yaml`), built from the
 * route schemas, and the Swagger UI page at `/docs`, served from the
 * package's own files (no CDN). Must be installed before the routes.
 */
export async function installDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cyberstreams ML API',
        version,
        description:
          'Severity, indicators, ATT&CK techniques and explanations for threat-intelligence text, with analyst feedback. Errors are application/problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      tags: [
        { name: 'predict', description: 'Scoring texts' },
        { name: 'feedback', description: 'Analyst corrections' },
        { name: 'enrich', description: 'Knowledge-graph context' },
        { name: 'metrics', description: 'Model and service metrics' },
        { name: 'health', description: 'Probes' },
      ],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: withoutUpgradeInsecureRequests,
  });
}

/**
 * The static CSP without `upgrade-insecure-requests`: with it, a browser
 * rewrites the page's own assets to https on any host but localhost, so
 * `/docs` opened over plain http by IP or name is blank
 * (fastify/fastify-swagger-ui#690). Every other directive is kept.
 */
export function withoutUpgradeInsecureRequests(header: string): string {
  return header
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d !== '' && d.toLowerCase() !== 'upgrade-insecure-requests')
    .map((d) => `${d};`)
    .join(' ');
}
