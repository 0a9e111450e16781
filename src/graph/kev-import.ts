import { AppError } from '../core/index.js';
import type { GraphStore } from './contract.js';
import { TECHNIQUE_ID, techniqueNodeId, vulnerabilityNodeId } from './ids.js';
import {
  BatchBuilder,
  emptyReport,
  type ImportOptions,
  type ImportReport,
  isObject,
  readProgress,
  skip,
  str,
  strings,
} from './import-common.js';
import { NodeResolver } from './resolver.js';

/** KEV facts kept on a Vulnerability node (`props.kev`). */
export interface KevFacts {
  /** YYYY-MM-DD. */
  dateAdded: string;
  /** YYYY-MM-DD, the remediation due date for US federal agencies. */
  dueDate?: string;
  /** CISA's `knownRansomwareCampaignUse`: true for "Known", false for "Unknown". */
  ransomware: boolean;
  vendor?: string;
  product?: string;
  /** CISA's short vulnerability name (not the description). */
  name?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Imports the CISA Known Exploited Vulnerabilities catalogue: one Vulnerability
 * node per CVE with `props.kev` ({@link KevFacts}). The catalogue version is kept
 * in the graph meta table (`kev.catalogVersion`).
 *
 * @throws AppError CS_ERR_VALIDATION when the input is not a KEV catalogue.
 */
export async function importKev(
  graph: GraphStore,
  input: unknown,
  options: ImportOptions = {},
): Promise<ImportReport> {
  if (!isObject(input) || !Array.isArray(input.vulnerabilities)) {
    throw new AppError('CS_ERR_VALIDATION', 'Not a CISA KEV catalogue: expected {"vulnerabilities": [...]}');
  }
  const source = options.source ?? 'kev';
  const report = emptyReport('kev', source);
  const builder = new BatchBuilder(new NodeResolver(), report);
  const list = input.vulnerabilities as unknown[];
  const progress = readProgress('kev', list.length, options.onProgress);
  list.forEach((v, i) => {
    report.records++;
    progress(i + 1);
    if (!isObject(v)) {
      skip(report, `vulnerabilities[${i}]`, 'not an object');
      return;
    }
    const cve = str(v.cveID, 32) ?? '';
    const id = vulnerabilityNodeId(cve);
    if (!id) {
      skip(report, `vulnerabilities[${i}]`, `cveID ${JSON.stringify(v.cveID)} is not a CVE id`);
      return;
    }
    const dateAdded = str(v.dateAdded, 10);
    if (!dateAdded || !DATE.test(dateAdded)) {
      skip(report, cve, 'dateAdded is not YYYY-MM-DD');
      return;
    }
    const kev: KevFacts = { dateAdded, ransomware: v.knownRansomwareCampaignUse === 'Known' };
    const due = str(v.dueDate, 10);
    if (due && DATE.test(due)) kev.dueDate = due;
    const vendor = str(v.vendorProject, 120);
    if (vendor) kev.vendor = vendor;
    const product = str(v.product, 120);
    if (product) kev.product = product;
    const name = str(v.vulnerabilityName, 200);
    if (name) kev.name = name;
    builder.addNode({
      id,
      type: 'Vulnerability',
      name: cve.toUpperCase(),
      props: { kev, cwes: strings(v.cwes, 16) },
      source,
    });
    report.imported++;
  });
  await builder.flush(graph, options.onProgress);
  const version = str(input.catalogVersion, 40);
  if (version) await graph.setMeta('kev.catalogVersion', version);
  return report;
}

/** Confidence per Mappings Explorer mapping type: how directly the technique follows from the CVE. */
const MAPPING_CONFIDENCE: Record<string, number> = {
  exploitation_technique: 0.9,
  primary_impact: 0.7,
  secondary_impact: 0.5,
  uncategorized: 0.4,
};

/**
 * Imports CVE to ATT&CK mappings (Center for Threat-Informed Defense Mappings
 * Explorer JSON): `(:Technique)-[:EXPLOITS]->(:Vulnerability)` with the mapping
 * types in `props.mappingTypes`. Techniques not yet in the graph get a stub node
 * named as the mapping names them; the ATT&CK import later fills it in.
 *
 * @throws AppError CS_ERR_VALIDATION when the input is not a mappings file.
 */
export async function importCveAttackMappings(
  graph: GraphStore,
  input: unknown,
  options: ImportOptions = {},
): Promise<ImportReport> {
  if (!isObject(input) || !Array.isArray(input.mapping_objects)) {
    throw new AppError(
      'CS_ERR_VALIDATION',
      'Not a Mappings Explorer file: expected {"mapping_objects": [...]}',
    );
  }
  const source = options.source ?? 'mappings-explorer';
  const report = emptyReport('cve-attack-mappings', source);
  const builder = new BatchBuilder(new NodeResolver(), report);
  const list = input.mapping_objects as unknown[];
  const progress = readProgress('cve-attack-mappings', list.length, options.onProgress);
  const edges = new Map<string, { src: string; dst: string; types: Set<string>; confidence: number }>();
  list.forEach((m, i) => {
    report.records++;
    progress(i + 1);
    const ref = `mapping_objects[${i}]`;
    if (!isObject(m)) {
      skip(report, ref, 'not an object');
      return;
    }
    const cve = str(m.capability_id, 32) ?? '';
    const vuln = vulnerabilityNodeId(cve);
    const technique = str(m.attack_object_id, 16) ?? '';
    const type = str(m.mapping_type, 40) ?? 'uncategorized';
    if (!vuln) {
      skip(report, ref, `capability_id ${JSON.stringify(m.capability_id)} is not a CVE id`);
      return;
    }
    if (!TECHNIQUE_ID.test(technique)) {
      skip(report, ref, `attack_object_id ${JSON.stringify(m.attack_object_id)} is not a technique id`);
      return;
    }
    if (m.status !== undefined && m.status !== 'complete') {
      report.ignored++;
      return;
    }
    const tech = techniqueNodeId(technique);
    builder.addNode({ id: vuln, type: 'Vulnerability', name: cve.toUpperCase(), source });
    builder.addNode({
      id: tech,
      type: 'Technique',
      name: str(m.attack_object_name, 200) ?? technique,
      props: { attackId: technique },
      source,
    });
    const key = `${tech}|${vuln}`;
    const e = edges.get(key) ?? { src: tech, dst: vuln, types: new Set<string>(), confidence: 0 };
    e.types.add(type);
    e.confidence = Math.max(
      e.confidence,
      MAPPING_CONFIDENCE[type] ?? MAPPING_CONFIDENCE.uncategorized ?? 0.4,
    );
    edges.set(key, e);
    report.imported++;
  });
  for (const e of edges.values()) {
    builder.addEdge(
      {
        src: e.src,
        type: 'EXPLOITS',
        dst: e.dst,
        source,
        confidence: e.confidence,
        props: { mappingTypes: [...e.types].sort() },
      },
      `${e.src} ${e.dst}`,
    );
  }
  await builder.flush(graph, options.onProgress);
  return report;
}
