import { AppError } from '../core/index.js';
import type { GraphStore } from './contract.js';
import { vulnerabilityNodeId } from './ids.js';
import { normaliseName } from './normalise.js';
import { ALIAS_RANK } from './schema.js';

/**
 * The node a human reference means: a node id (`actor:G0007`), an ATT&CK id
 * (`G0007`, `T1059.001`), a CVE id, or a name or alias ("Fancy Bear"), in that order.
 *
 * @throws AppError CS_ERR_NOT_FOUND when nothing matches; CS_ERR_VALIDATION when a name
 *   points at several nodes equally (the candidates are in `details`).
 */
export async function resolveNodeRef(graph: GraphStore, ref: string): Promise<string> {
  const r = ref.trim();
  if (r.length === 0) throw new AppError('CS_ERR_VALIDATION', 'Empty node reference');
  if (await graph.getNode(r)) return r;
  const cve = vulnerabilityNodeId(r);
  if (cve && (await graph.getNode(cve))) return cve;
  const byId = await graph.lookupAliases([`attack:${r.toLowerCase()}`], { kinds: ['xid'] });
  if (byId.length === 1 && byId[0]) return byId[0].nodeId;
  const byName = await graph.lookupAliases([normaliseName(r)], { kinds: ['name', 'alias', 'synonym'] });
  if (byName.length === 0)
    throw new AppError('CS_ERR_NOT_FOUND', `No graph node matches "${r}"`, { details: { ref: r } });
  const best = Math.min(...byName.map((a) => ALIAS_RANK[a.kind]));
  const ids = [...new Set(byName.filter((a) => ALIAS_RANK[a.kind] === best).map((a) => a.nodeId))];
  if (ids.length === 1 && ids[0]) return ids[0];
  throw new AppError('CS_ERR_VALIDATION', `"${r}" names several nodes: ${ids.slice(0, 10).join(', ')}`, {
    details: { ref: r, candidates: ids.slice(0, 50) },
  });
}
