import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { isTechniqueId } from '../attack/index.js';
import { AppError, validate } from '../core/index.js';
import {
  cypherProblem,
  type Direction,
  defaultCataloguePaths,
  EDGE_TYPES,
  type EdgeType,
  EnrichRequestSchema,
  ensureCatalogueLoaded,
  exportCypher,
  exportStixBundle,
  type GraphStore,
  type ImportProgress,
  importFiles,
  loadCatalogue,
  minePatterns,
  NODE_TYPES,
  type NodeType,
  normaliseName,
  openGraph,
  readCatalogue,
  readJsonFile,
  resolveNodeRef,
  suggestTechniques,
} from '../graph/index.js';
import type { CliContext } from './context.js';
import { intArg, numberArg, usageError } from './usage.js';

async function withGraph<T>(ctx: CliContext, fn: (graph: GraphStore) => Promise<T>): Promise<T> {
  const graph = await openGraph(ctx.loadConfig());
  try {
    return await fn(graph);
  } finally {
    await graph.close();
  }
}

/** Progress on stderr: one line per phase and tenth, so logs stay short. */
function progressPrinter(ctx: CliContext): (p: ImportProgress) => void {
  let last = '';
  return (p) => {
    const tenth = Math.floor((10 * p.done) / Math.max(1, p.total));
    const key = `${p.format} ${p.phase} ${tenth}`;
    if (key === last) return;
    last = key;
    ctx.stderr(`graph: ${p.format} ${p.phase} ${p.done}/${p.total}\n`);
  };
}

function list<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  what: string,
): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item))
      throw usageError(`Unknown ${what} "${item}"; expected: ${allowed.join(', ')}`);
  }
  return items as T[];
}

function direction(value: string | undefined): Direction | undefined {
  if (value === undefined) return undefined;
  if (value !== 'in' && value !== 'out' && value !== 'both')
    throw usageError('--direction must be in, out or both');
  return value;
}

const json = (ctx: CliContext, value: unknown) => ctx.stdout(`${JSON.stringify(value)}\n`);

/**
 * `cyberstreams graph ...`: the knowledge graph (SQLite file DATA_DIR/graph.sqlite,
 * or the PostgreSQL database in DATABASE_URL).
 * - `import FILE...` (STIX 2.1 bundle, MISP galaxy, CISA KEV, Mappings Explorer; gzip ok) or `import --builtin`;
 * - `export --format stix --node ID [--depth N]` or `export --format cypher` (whole graph), `--out FILE`;
 * - `stats`; `query neighbours|path|shared|alias`; `patterns mine|suggest`; `enrich [FILE]`.
 * Progress goes to stderr; results are JSON on stdout (its last line).
 */
export function registerGraph(program: Command, ctx: CliContext): void {
  const graph = program
    .command('graph')
    .description('knowledge graph: import, export, query, patterns, enrich');

  graph
    .command('import')
    .description(
      'import STIX 2.1 bundles, MISP galaxies, CISA KEV or CVE-ATT&CK mappings, or the built-in catalogue',
    )
    .argument('[files...]', 'files to import (format detected from content; .gz accepted)')
    .option(
      '--builtin',
      'load the shipped catalogue (ATT&CK, MISP galaxies, KEV, mappings) and mine patterns',
    )
    .option('--force', 'with --builtin: load it even if this graph already holds it')
    .option('--source <name>', 'source label stored on what is imported (default by format, e.g. stix)')
    .addHelpText(
      'after',
      '\nPrints one report per format (last stdout line: a JSON array) and the skipped records on stderr.\nExits 1 when the files hold records but none of them was imported (all skipped or ignored).',
    )
    .action(async (files: string[], opts: { builtin?: boolean; force?: boolean; source?: string }) => {
      if (!opts.builtin && files.length === 0) throw usageError('Give files to import, or --builtin');
      if (opts.builtin && files.length > 0) throw usageError('--builtin takes no files');
      if (opts.source !== undefined && !/^[\w:.-]{1,100}$/.test(opts.source)) {
        throw usageError('--source must be 1-100 letters, digits, or : . _ -');
      }
      const onProgress = progressPrinter(ctx);
      await withGraph(ctx, async (g) => {
        if (opts.builtin) {
          if (opts.force) {
            const c = await readCatalogue(defaultCataloguePaths().catalogue);
            const r = await loadCatalogue(g, c, onProgress);
            const patterns = await minePatterns(g);
            json(ctx, {
              catalogue: c.id,
              ...r,
              patterns: { itemsets: patterns.itemsets, rules: patterns.rules },
            });
            return;
          }
          const r = await ensureCatalogueLoaded(g, { onProgress, afterLoad: (x) => minePatterns(x) });
          if (!r.loaded)
            ctx.stderr('graph: the built-in catalogue is already loaded (use --force to load it again)\n');
          json(ctx, r);
          return;
        }
        const reports = await importFiles(g, files, {
          onProgress,
          ...(opts.source ? { source: opts.source } : {}),
        });
        for (const r of reports) {
          ctx.stderr(
            `graph: ${r.format} (${r.source}): ${r.records} records, ${r.imported} imported, ${r.ignored} ignored, ` +
              `${r.skippedCount} skipped, ${r.unresolved} unresolved links; ${r.nodesCreated} nodes created, ` +
              `${r.nodesUpdated} updated, ${r.edgesWritten} edges written\n`,
          );
          for (const s of r.skipped.slice(0, 10)) ctx.stderr(`graph:   skipped ${s.ref}: ${s.reason}\n`);
        }
        json(ctx, reports);
        const total = (key: 'records' | 'imported' | 'skippedCount' | 'ignored') =>
          reports.reduce((n, r) => n + r[key], 0);
        // Records read but none usable is a failed import, not an empty success (the reports above say why).
        if (total('records') > 0 && total('imported') === 0) {
          throw new AppError(
            'CS_ERR_VALIDATION',
            `Nothing was imported: of ${total('records')} records, ${total('skippedCount')} were skipped and ${total('ignored')} ignored`,
            {
              details: {
                records: total('records'),
                skipped: total('skippedCount'),
                ignored: total('ignored'),
              },
            },
          );
        }
      });
    });

  graph
    .command('export')
    .description('export a node and its neighbourhood as STIX 2.1, or the whole graph as Cypher for Neo4j')
    .requiredOption('--format <format>', 'stix or cypher')
    .option(
      '--node <id>',
      'stix: the node to export (node id, ATT&CK id or name; e.g. threat:<predictionId>)',
    )
    .option('--depth <n>', 'stix: hops around the node (1-3)', intArg(1, 3), 1)
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (opts: { format: string; node?: string; depth: number; out?: string }) => {
      if (opts.format !== 'stix' && opts.format !== 'cypher')
        throw usageError('--format must be stix or cypher');
      if (opts.format === 'stix' && !opts.node) throw usageError('--format stix needs --node');
      const depth = opts.depth;
      const out = opts.out ? createWriteStream(opts.out) : undefined;
      const write = async (text: string) => {
        if (!out) return ctx.stdout(text);
        if (!out.write(text)) await once(out, 'drain');
      };
      try {
        await withGraph(ctx, async (g) => {
          if (opts.format === 'stix') {
            const id = await resolveNodeRef(g, opts.node as string);
            const bundle = await exportStixBundle(g, id, { depth });
            await write(`${JSON.stringify(bundle, null, 2)}\n`);
            ctx.stderr(`graph: exported ${bundle.objects.length} STIX objects around ${id}\n`);
            return;
          }
          let bad = 0;
          const r = await exportCypher(g, async (s) => {
            if (cypherProblem(s) !== undefined) bad++;
            await write(`${s}\n`);
          });
          ctx.stderr(
            `graph: exported ${r.constraints} constraints, ${r.nodes} nodes, ${r.edges} edges as Cypher\n`,
          );
          if (bad > 0)
            throw new AppError('CS_ERR_INTERNAL', `${bad} exported Cypher statements are malformed`);
        });
      } finally {
        if (out) {
          out.end();
          await once(out, 'close');
        }
      }
    });

  graph
    .command('stats')
    .description('counts of nodes, edges and aliases by type and source, and the stored patterns')
    .action(async () => {
      await withGraph(ctx, async (g) =>
        json(ctx, { ...(await g.stats()), patterns: (await g.patternInfo()) ?? null }),
      );
    });

  const query = graph.command('query').description('traverse the graph');
  query
    .command('neighbours')
    .description('nodes within --depth hops of NODE')
    .argument('<node>', 'node id, ATT&CK id or name')
    .option('--depth <n>', 'hops (1-4)', intArg(1, 4), 1)
    .option('--types <types>', `node types returned (comma-separated: ${NODE_TYPES.join(', ')})`)
    .option('--edge-types <types>', `edge types followed (${EDGE_TYPES.join(', ')})`)
    .option('--direction <d>', 'in, out or both', 'both')
    .option('--limit <n>', 'most nodes returned (1-10000)', intArg(1, 10_000), 50)
    .action(
      async (
        node: string,
        o: { depth: number; types?: string; edgeTypes?: string; direction: string; limit: number },
      ) => {
        // Options are checked before the graph is opened, so a usage error stays a usage error.
        const options = {
          depth: o.depth,
          limit: o.limit,
          ...(o.types ? { nodeTypes: list<NodeType>(o.types, NODE_TYPES, 'node type') } : {}),
          ...(o.edgeTypes ? { edgeTypes: list<EdgeType>(o.edgeTypes, EDGE_TYPES, 'edge type') } : {}),
          direction: direction(o.direction) ?? 'both',
        };
        await withGraph(ctx, async (g) => {
          const r = await g.neighbours(await resolveNodeRef(g, node), options);
          json(ctx, {
            start: r.start,
            reached: r.reached,
            truncated: r.truncated,
            neighbours: r.neighbours.map((n) => ({
              id: n.node.id,
              type: n.node.type,
              name: n.node.name,
              depth: n.depth,
              via: n.via.type,
            })),
          });
        });
      },
    );
  query
    .command('path')
    .description('a shortest path between two nodes')
    .argument('<from>', 'node id, ATT&CK id or name')
    .argument('<to>', 'node id, ATT&CK id or name')
    .option('--max-depth <n>', 'most edges (1-10)', intArg(1, 10), 6)
    .option('--direction <d>', 'in, out or both', 'both')
    .action(async (from: string, to: string, o: { maxDepth: number; direction: string }) => {
      const options = {
        maxDepth: o.maxDepth,
        direction: direction(o.direction) ?? 'both',
      };
      await withGraph(ctx, async (g) => {
        const p = await g.shortestPath(await resolveNodeRef(g, from), await resolveNodeRef(g, to), options);
        json(
          ctx,
          p
            ? {
                nodes: p.nodes.map((n) => ({ id: n.id, type: n.type, name: n.name })),
                edges: p.edges.map((e) => `${e.src} -[${e.type}]-> ${e.dst}`),
              }
            : null,
        );
      });
    });
  query
    .command('shared')
    .description('nodes ranked by the neighbours they share with NODE (Adamic-Adar)')
    .argument('<node>', 'node id, ATT&CK id or name')
    .option('--via <types>', 'types of the shared neighbours')
    .option('--candidates <types>', "types of the ranked nodes (default: the node's type)")
    .option('--limit <n>', 'most nodes returned (1-1000)', intArg(1, 1_000), 20)
    .action(async (node: string, o: { via?: string; candidates?: string; limit: number }) => {
      const options = {
        limit: o.limit,
        ...(o.via ? { viaTypes: list<NodeType>(o.via, NODE_TYPES, 'node type') } : {}),
        ...(o.candidates ? { candidateTypes: list<NodeType>(o.candidates, NODE_TYPES, 'node type') } : {}),
      };
      await withGraph(ctx, async (g) => {
        const r = await g.sharedNeighbours(await resolveNodeRef(g, node), options);
        json(
          ctx,
          r.map((s) => ({
            id: s.node.id,
            name: s.node.name,
            score: s.score,
            sharedCount: s.sharedCount,
            shared: s.shared,
          })),
        );
      });
    });
  query
    .command('alias')
    .description('the nodes a name, alias or external id points at')
    .argument('<name>', 'e.g. "Fancy Bear", G0007, CVE-2021-44228')
    .action(async (name: string) => {
      await withGraph(ctx, async (g) => {
        const hits = await g.lookupAliases([normaliseName(name), `attack:${name.trim().toLowerCase()}`]);
        json(
          ctx,
          hits.map((a) => ({ id: a.nodeId, type: a.nodeType, kind: a.kind, value: a.value })),
        );
      });
    });

  const patterns = graph.command('patterns').description('technique co-occurrence patterns (FP-Growth)');
  patterns
    .command('mine')
    .description('mine frequent technique sets of actors, campaigns and threats and store them')
    .option(
      '--min-support <x>',
      'fraction of transactions (0-1]',
      numberArg((x) => x > 0 && x <= 1, 'a number in (0, 1]'),
      0.1,
    )
    .option(
      '--min-confidence <x>',
      'rule confidence [0-1]',
      numberArg((x) => x >= 0 && x <= 1, 'a number in [0, 1]'),
      0.6,
    )
    .option(
      '--min-lift <x>',
      'rule lift (at least 0)',
      numberArg((x) => x >= 0, 'a number of at least 0'),
      1.2,
    )
    .option('--max-length <n>', 'largest itemset (2-5)', intArg(2, 5), 3)
    .option('--exact', 'keep sub-techniques instead of rolling them up to their parents')
    .action(
      async (o: {
        minSupport: number;
        minConfidence: number;
        minLift: number;
        maxLength: number;
        exact?: boolean;
      }) => {
        await withGraph(ctx, async (g) =>
          json(
            ctx,
            await minePatterns(g, {
              minSupport: o.minSupport,
              minConfidence: o.minConfidence,
              minLift: o.minLift,
              maxLength: o.maxLength,
              granularity: o.exact ? 'exact' : 'parent',
            }),
          ),
        );
      },
    );
  patterns
    .command('suggest')
    .description('techniques usually seen together with the given ones')
    .argument(
      '<techniques...>',
      'ATT&CK technique ids (T1234 or T1234.001), e.g. T1566.001 T1204; another id exits 2',
    )
    .option('--limit <n>', 'most suggestions (1-1000)', intArg(1, 1_000), 10)
    .action(async (techniques: string[], o: { limit: number }) => {
      const bad = techniques.filter((t) => !isTechniqueId(t));
      if (bad.length > 0) {
        throw usageError(
          `Not ATT&CK technique ids: ${bad.map((t) => `"${t}"`).join(', ')} (expected T1234 or T1234.001)`,
          { invalid: bad },
        );
      }
      await withGraph(ctx, async (g) =>
        json(ctx, await suggestTechniques(g, techniques, { limit: o.limit })),
      );
    });

  graph
    .command('enrich')
    .description(
      'enrich a JSON request as POST /api/v1/enrich takes it: {text} | {predictionId} | {indicators?, techniques?, cves?} (file, or - for stdin)',
    )
    .argument('[file]', 'JSON file; default stdin', '-')
    .action(async (file: string) => {
      let input: unknown;
      if (file === '-') {
        try {
          input = JSON.parse(await ctx.readStdin());
        } catch (cause) {
          throw new AppError('CS_ERR_INPUT_UNREADABLE', 'stdin is not JSON', { cause });
        }
      } else input = await readJsonFile(file);
      // The body schema of POST /api/v1/enrich, checked before anything is opened.
      const request = validate(EnrichRequestSchema, input, 'Enrichment request');
      if (ctx.openEnricher === undefined) {
        throw new AppError('CS_ERR_INTERNAL', 'graph enrich: this build wires no enricher');
      }
      // The service's own enricher, so the answer is the route's for the same body.
      const enricher = await ctx.openEnricher(ctx.loadConfig(), ctx.stderr);
      try {
        json(ctx, await enricher.enrich(request));
      } finally {
        await enricher.close();
      }
    });

  // The program applies its exit and output overrides to top-level commands only; nested ones need them too.
  const override = (c: Command) => {
    c.exitOverride().configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
    c.commands.forEach(override);
  };
  graph.commands.forEach(override);
}
