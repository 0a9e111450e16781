import { AppError } from '../core/index.js';
import type { GraphStore } from './contract.js';
import { stixUuid, xid } from './ids.js';
import {
  BatchBuilder,
  emptyReport,
  type ImportOptions,
  type ImportReport,
  isObject,
  readProgress,
  skip,
} from './import-common.js';
import { NodeResolver } from './resolver.js';
import { type EdgeType, NODE_TYPES, type NodeType } from './schema.js';
import { type StixContext, stixObjectToNodes, targetNodesFor } from './stix-nodes.js';
import { stixImportProblem } from './stix-validate.js';

/**
 * Imports a STIX 2.1 bundle: the ATT&CK Enterprise bundle or a user's own feed
 * (report, indicator, vulnerability, threat-actor, intrusion-set, campaign,
 * malware, tool, attack-pattern, course-of-action, relationship, identity and
 * location as relationship targets). Idempotent: running it again changes nothing.
 *
 * Revoked and deprecated objects, and types outside the graph (sightings,
 * detection analytics, ...), are counted as ignored. Malformed objects are
 * reported and skipped. Relationship descriptions (prose) are not kept.
 *
 * @throws AppError CS_ERR_VALIDATION when the input is not a bundle at all.
 */
export async function importStixBundle(
  graph: GraphStore,
  bundle: unknown,
  options: ImportOptions = {},
): Promise<ImportReport> {
  if (!isObject(bundle) || bundle.type !== 'bundle' || !Array.isArray(bundle.objects)) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      'Not a STIX 2.1 bundle: expected {"type": "bundle", "objects": [...]}',
    );
  }
  const objects = bundle.objects as unknown[];
  const isAttack = objects.some(
    (o) => isObject(o) && (String(o.type).startsWith('x-mitre-') || Array.isArray(o.x_mitre_domains)),
  );
  const source = options.source ?? (isAttack ? 'attack' : 'stix');
  const report = emptyReport('stix', source);
  const resolver = await NodeResolver.load(
    graph,
    NODE_TYPES.filter((t) => t !== 'Threat'),
  );
  const ctx: StixContext = {
    builder: new BatchBuilder(resolver, report),
    source,
    nodesOf: new Map(),
    targets: new Map(),
    phases: [],
    withdrawn: new Set(),
  };
  const progress = readProgress('stix', objects.length, options.onProgress);
  const relationships: Record<string, unknown>[] = [];
  const reports: Record<string, unknown>[] = [];
  // Pass 1: objects to nodes.
  objects.forEach((o, i) => {
    report.records++;
    progress(i + 1);
    const problem = stixImportProblem(o);
    if (problem) {
      skip(report, isObject(o) && typeof o.id === 'string' ? o.id : `objects[${i}]`, problem);
      return;
    }
    const obj = o as Record<string, unknown>;
    if (obj.revoked === true || obj.x_mitre_deprecated === true) {
      ctx.withdrawn.add(obj.id as string);
      report.ignored++;
      return;
    }
    if (obj.type === 'relationship') {
      relationships.push(obj);
      return;
    }
    if (obj.type === 'report') reports.push(obj);
    if (stixObjectToNodes(ctx, obj)) {
      if (obj.type !== 'identity' && obj.type !== 'location') report.imported++;
    } else {
      ctx.withdrawn.add(obj.id as string);
      report.ignored++;
    }
  });
  // Pass 2: links.
  for (const { nodeId, phases } of ctx.phases) {
    for (const phase of phases) {
      const tactic = resolver.byXid(xid.tactic(phase), ['Tactic'])[0];
      if (!tactic) report.unresolved++;
      else
        ctx.builder.addEdge({ src: nodeId, type: 'IN_TACTIC', dst: tactic, source, confidence: 1 }, nodeId);
    }
  }
  for (const r of relationships) if (linkRelationship(ctx, r)) report.imported++;
  for (const r of reports) linkReport(ctx, r);
  await ctx.builder.flush(graph, options.onProgress);
  return report;
}

/** Node ids a STIX reference stands for: from this bundle, else from the graph by uuid. */
function nodesFor(ctx: StixContext, ref: string): string[] {
  const here = ctx.nodesOf.get(ref);
  if (here) return here;
  if (ctx.targets.has(ref)) return targetNodesFor(ctx, ref);
  const uuid = stixUuid(ref);
  return uuid ? ctx.builder.resolver.byXid(xid.uuid(uuid)) : [];
}

/** The graph edge for a STIX relationship between two node types (RELATED_TO when nothing closer fits). */
function edgeFor(relationship: string, to: NodeType): { type: EdgeType; reverse?: boolean } | undefined {
  switch (relationship) {
    case 'uses':
      return { type: 'USES' };
    case 'mitigates':
      return { type: 'MITIGATES' };
    case 'subtechnique-of':
      return { type: 'SUBTECHNIQUE_OF' };
    case 'attributed-to':
      return { type: 'ATTRIBUTED_TO' };
    case 'targets':
      return to === 'Vulnerability' ? { type: 'EXPLOITS' } : { type: 'TARGETS' };
    case 'exploits':
      return { type: 'EXPLOITS' };
    case 'revoked-by':
    case 'detects':
      return undefined;
    default:
      return { type: 'RELATED_TO' };
  }
}

function confidenceOf(r: Record<string, unknown>, source: string): number {
  if (
    typeof r.confidence === 'number' &&
    Number.isInteger(r.confidence) &&
    r.confidence >= 0 &&
    r.confidence <= 100
  ) {
    return r.confidence / 100;
  }
  // ATT&CK relationships are curated and cited; an unrated feed's claims are a coin toss until rated.
  return source === 'attack' ? 0.9 : 0.5;
}

function linkRelationship(ctx: StixContext, r: Record<string, unknown>): boolean {
  const srcRef = r.source_ref as string;
  const dstRef = r.target_ref as string;
  const relationship = r.relationship_type as string;
  if (ctx.withdrawn.has(srcRef) || ctx.withdrawn.has(dstRef)) {
    ctx.builder.report.ignored++;
    return false;
  }
  const srcs = nodesFor(ctx, srcRef);
  const dsts = nodesFor(ctx, dstRef);
  if (srcs.length === 0 || dsts.length === 0) {
    ctx.builder.report.unresolved++;
    return false;
  }
  const confidence = confidenceOf(r, ctx.source);
  let linked = false;
  for (const src of srcs) {
    for (const dst of dsts) {
      const from = ctx.builder.resolver.typeOf(src);
      const to = ctx.builder.resolver.typeOf(dst);
      if (!from || !to) continue;
      const mapped = edgeFor(relationship, to);
      if (!mapped) {
        ctx.builder.report.ignored++;
        return false;
      }
      const ok = ctx.builder.addEdge(
        {
          src,
          type: mapped.type,
          dst,
          source: ctx.source,
          confidence,
          props: mapped.type === 'RELATED_TO' ? { relationship } : {},
        },
        r.id as string,
      );
      // The design queries campaigns from the actor side too: keep the inverse of an attribution.
      if (ok && mapped.type === 'ATTRIBUTED_TO' && from === 'Campaign') {
        ctx.builder.addEdge(
          { src: dst, type: 'CONDUCTS', dst: src, source: ctx.source, confidence },
          r.id as string,
        );
      }
      linked ||= ok;
    }
  }
  return linked;
}

const REPORT_EDGE: Partial<Record<NodeType, EdgeType>> = {
  Indicator: 'CONTAINS',
  Vulnerability: 'CONTAINS',
  Technique: 'USES',
  Malware: 'USES',
  Tool: 'USES',
  Actor: 'ATTRIBUTED_TO',
  Target: 'TARGETS',
};

function linkReport(ctx: StixContext, r: Record<string, unknown>): void {
  const [threat] = ctx.nodesOf.get(r.id as string) ?? [];
  if (!threat) return;
  for (const ref of r.object_refs as unknown[]) {
    if (typeof ref !== 'string' || ctx.withdrawn.has(ref)) continue;
    const o = ctx.targets.get(ref);
    // Identities in a report are mostly its authors or victims of unknown role; only classes count as targets.
    if (o && o.type === 'identity' && o.identity_class !== 'class' && !Array.isArray(o.sectors)) continue;
    for (const node of nodesFor(ctx, ref)) {
      if (node === threat) continue;
      const type = ctx.builder.resolver.typeOf(node);
      if (!type) continue;
      const edge = REPORT_EDGE[type] ?? 'RELATED_TO';
      ctx.builder.addEdge(
        { src: threat, type: edge, dst: node, source: ctx.source, confidence: 0.8 },
        r.id as string,
      );
    }
  }
}
