/**
 * Body of `POST /api/v1/enrich`: a text, a stored prediction, or indicators/techniques/CVEs.
 * Defined by the graph module, so `cyberstreams graph enrich` validates with the same schema.
 */
export { EnrichRequestSchema } from '../../graph/index.js';
