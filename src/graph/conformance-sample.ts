import type { NeighbourOptions } from './contract.js';
import type { GraphBatch } from './schema.js';

/** The queries the write-path cases (own writes, catch-up) ask after every write, from each of {@link SAMPLE_STARTS}. */
export const SAMPLE_QUERIES: readonly NeighbourOptions[] = [
  {},
  { depth: 2 },
  { depth: 3, limit: 3 },
  { depth: 2, direction: 'in' },
  { depth: 2, direction: 'out', edgeTypes: ['USES', 'CONTAINS'] },
  { depth: 2, nodeTypes: ['Actor', 'Threat'], throughTypes: ['Technique'] },
  { depth: 2, nodeTypes: ['Indicator'] },
  { depth: 2, maxVisited: 3 },
];
/** Start nodes of {@link SAMPLE_QUERIES}: loaded ones and `actor:A3`, which the cases add to. */
export const SAMPLE_STARTS: readonly string[] = [
  'actor:G0007',
  'technique:T1566',
  'technique:T1059',
  'tactic:TA0002',
  'actor:A3',
];

/**
 * A small graph used by the traversal cases:
 *
 *   A1 -USES-> T1059, T1566, T1105, M1      A2 -USES-> T1059, T1566     A3 -USES-> T1105
 *   M1 -USES-> T1059.001 -SUBTECHNIQUE_OF-> T1059 -IN_TACTIC-> TA0002
 *   MIT1 -MITIGATES-> T1566                 C1 -ATTRIBUTED_TO-> A2, C1 -USES-> T1566
 */
export function sampleBatch(): GraphBatch {
  const node = (
    id: string,
    type: GraphBatch['nodes'][number]['type'],
    name: string,
    aliases: string[] = [],
  ) => ({
    id,
    type,
    name,
    aliases,
    source: 'test',
    primary: true,
  });
  const edge = (src: string, type: GraphBatch['edges'][number]['type'], dst: string, confidence = 0.9) => ({
    src,
    type,
    dst,
    source: 'test',
    confidence,
  });
  return {
    nodes: [
      node('actor:G0007', 'Actor', 'APT28', ['Fancy Bear', 'Sofacy']),
      node('actor:A2', 'Actor', 'Second Group'),
      node('actor:A3', 'Actor', 'Third Group'),
      node('technique:T1059', 'Technique', 'Command and Scripting Interpreter'),
      node('technique:T1059.001', 'Technique', 'PowerShell'),
      node('technique:T1566', 'Technique', 'Phishing'),
      node('technique:T1105', 'Technique', 'Ingress Tool Transfer'),
      node('tactic:TA0002', 'Tactic', 'Execution'),
      node('malware:M1', 'Malware', 'X-Agent'),
      node('mitigation:MIT1', 'Mitigation', 'User Training'),
      node('campaign:C1', 'Campaign', 'Operation One'),
    ],
    edges: [
      edge('actor:G0007', 'USES', 'technique:T1059'),
      edge('actor:G0007', 'USES', 'technique:T1566'),
      edge('actor:G0007', 'USES', 'technique:T1105', 0.5),
      edge('actor:G0007', 'USES', 'malware:M1'),
      edge('actor:A2', 'USES', 'technique:T1059'),
      edge('actor:A2', 'USES', 'technique:T1566'),
      edge('actor:A3', 'USES', 'technique:T1105'),
      edge('malware:M1', 'USES', 'technique:T1059.001'),
      edge('technique:T1059.001', 'SUBTECHNIQUE_OF', 'technique:T1059', 1),
      edge('technique:T1059', 'IN_TACTIC', 'tactic:TA0002', 1),
      edge('mitigation:MIT1', 'MITIGATES', 'technique:T1566', 1),
      edge('campaign:C1', 'ATTRIBUTED_TO', 'actor:A2'),
      edge('campaign:C1', 'USES', 'technique:T1566'),
    ],
  };
}
