import type { GraphStore } from './contract.js';
import { normaliseName } from './normalise.js';
import { ALIAS_RANK, type AliasEntry, type AliasKind, type NodeType } from './schema.js';

/**
 * Finds actors and software named in free text through the alias table
 * ("Fancy Bear", "APT 28", "Sofacy" all point at APT28).
 *
 * Many aliases are ordinary words ("Play", "Mask", "Snake", "Lead", "Net"), so
 * a mention must look like a name:
 * - distinctive aliases (a digit, several words, or CamelCase: "APT28", "Fancy Bear",
 *   "OilRig", "X-Agent") match in any case;
 * - a single plain word ("Turla", "Mimikatz") must be capitalised or in capitals in the text;
 * - a single word that is also a common English word ({@link COMMON_WORDS}) matches only
 *   in capitals where the alias itself is in capitals ("ZINC", "LEAD" for Microsoft's names);
 * - aliases shorter than three letters or digits never match.
 * Longest match wins; matches do not overlap. The list of common words is a
 * judgement, written down here so it can be reviewed and extended.
 */

/** Single-word aliases that are also everyday English words (lower case). */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  `aeon agenda anchor apostle atom aurora avenger axiom basin beacon benchmark bitter blame bottle butterfly
  calcium calendar cannon canopy carbon cardinal castle chameleon chimera cobalt combine copper covenant crash
  crimson denis disco donut dune elfin epic equation explosive ferocious fidel gold golem gorilla griffon grunt
  hangman harpy helium horde hydrogen inception iodine james kevin landmark lead leviathan lotus mana mango
  mantis mask medusa meek mercury milan mirage monsoon moonlight mosquito net nickel ninja nitro octopus oxygen
  page paladin pandora parasite phantom photo pioneer platinum play polaris pony potassium radium raccoon reaper
  remy route samurai scar scimitar scorpion scout sea shark silence silicon smoke snake sodium soldier solar
  spark strider summit superman templar tick trickster trident trinity venom vermin viper watchdog wildcard zinc`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);

/** A name found in text. */
export interface Mention {
  nodeId: string;
  nodeType: NodeType;
  /** The node's display name. */
  name: string;
  /** The text as written. */
  text: string;
  /** Character offsets in the input (end exclusive). */
  start: number;
  end: number;
  /** How the alias points at the node (`name` strongest, then `alias`, `synonym`). */
  kind: AliasKind;
  /** Number of nodes of this type the text points at equally (1 = unambiguous). */
  candidates: number;
}

interface Target {
  nodeId: string;
  nodeType: NodeType;
  rank: number;
}

interface AliasKey {
  targets: Target[];
  /** The alias as sources spell it (to check case). */
  values: Set<string>;
}

const TOKEN = /[\p{L}\p{N}]+/gu;
const MAX_TOKENS = 6;

function distinctive(value: string): boolean {
  return (
    /\d/.test(value) || /[\p{L}\p{N}][^\p{L}\p{N}]+[\p{L}\p{N}]/u.test(value) || /\p{Ll}\p{Lu}/u.test(value)
  );
}

/** An in-memory matcher over the alias table, built once and reused (see {@link MentionMatcher.forGraph}). */
export class MentionMatcher {
  readonly #keys = new Map<string, AliasKey>();
  readonly #names = new Map<string, string>();

  /**
   * Builds a matcher from alias rows (rows of kind `xid` are ignored). `names` gives
   * display names by node id; without it a node is shown by one of its names.
   */
  constructor(entries: readonly AliasEntry[], names?: ReadonlyMap<string, string>) {
    for (const [id, name] of names ?? []) this.#names.set(id, name);
    for (const a of entries) {
      if (a.kind === 'xid' || a.norm.length < 3 || /^\d+$/.test(a.norm)) continue;
      if (a.kind === 'name' && !this.#names.has(a.nodeId)) this.#names.set(a.nodeId, a.value);
      let key = this.#keys.get(a.norm);
      if (!key) {
        key = { targets: [], values: new Set() };
        this.#keys.set(a.norm, key);
      }
      key.values.add(a.value);
      const rank = ALIAS_RANK[a.kind];
      const t = key.targets.find((x) => x.nodeId === a.nodeId);
      if (!t) key.targets.push({ nodeId: a.nodeId, nodeType: a.nodeType, rank });
      else if (rank < t.rank) t.rank = rank;
    }
  }

  /** Number of distinct alias forms the matcher knows. */
  get size(): number {
    return this.#keys.size;
  }

  /**
   * Loads the aliases of actors (all of them) and of software some actor or
   * campaign uses (the only software that can point at an actor), and builds a
   * matcher. Cached per graph until the alias table changes.
   */
  static async forGraph(graph: GraphStore): Promise<MentionMatcher> {
    const revision = (await graph.getMeta('alias.revision')) ?? '0';
    const cached = CACHE.get(graph);
    if (cached && cached.revision === revision) return cached.matcher;
    const kinds: AliasKind[] = ['name', 'alias', 'synonym'];
    const actors = await graph.aliasEntries({ types: ['Actor'], kinds });
    const software = await graph.aliasEntries({ types: ['Malware', 'Tool'], kinds });
    const softwareIds = [...new Set(software.map((a) => a.nodeId))];
    const used = new Set(
      (
        await graph.links({
          nodeIds: softwareIds,
          direction: 'in',
          edgeTypes: ['USES'],
          otherTypes: ['Actor', 'Campaign'],
        })
      ).map((e) => e.dst),
    );
    const entries = [...actors, ...software.filter((a) => used.has(a.nodeId))];
    const nodes = await graph.getNodes([...new Set(entries.map((a) => a.nodeId))]);
    const matcher = new MentionMatcher(entries, new Map(nodes.map((n) => [n.id, n.name])));
    CACHE.set(graph, { revision, matcher });
    return matcher;
  }

  #accepts(surface: string, key: AliasKey): boolean {
    const words = surface.match(TOKEN) ?? [];
    if (words.length > 1) return true;
    for (const value of key.values) {
      if (distinctive(value)) return true;
      const lower = value.toLowerCase();
      if (COMMON_WORDS.has(lower)) {
        if (value === value.toUpperCase() && surface === value) return true;
        continue;
      }
      if (/^\p{Lu}/u.test(surface)) return true;
    }
    return false;
  }

  /** Mentions of nodes of the given types (default all the matcher holds), in text order. */
  find(text: string, types?: readonly NodeType[]): Mention[] {
    const tokens = [...text.matchAll(TOKEN)].map((m) => ({
      norm: normaliseName(m[0]),
      start: m.index ?? 0,
      end: (m.index ?? 0) + m[0].length,
    }));
    const out: Mention[] = [];
    for (let i = 0; i < tokens.length; ) {
      let matched = 0;
      let key = '';
      const found: { n: number; key: AliasKey }[] = [];
      for (let n = 1; n <= MAX_TOKENS && i + n <= tokens.length; n++) {
        key += tokens[i + n - 1]?.norm ?? '';
        const hit = this.#keys.get(key);
        if (hit) found.push({ n, key: hit });
      }
      for (const { n, key: hit } of found.reverse()) {
        const start = tokens[i]?.start ?? 0;
        const end = tokens[i + n - 1]?.end ?? start;
        const surface = text.slice(start, end);
        const targets = hit.targets.filter((t) => !types || types.includes(t.nodeType));
        if (targets.length === 0 || !this.#accepts(surface, hit)) continue;
        // Nodes of different types do not compete (an actor and its malware may share a name);
        // within a type, only the strongest alias rank counts.
        const byType = new Map<NodeType, Target[]>();
        for (const t of targets) byType.set(t.nodeType, [...(byType.get(t.nodeType) ?? []), t]);
        for (const group of byType.values()) {
          const best = Math.min(...group.map((t) => t.rank));
          const top = group.filter((t) => t.rank === best).sort((a, b) => (a.nodeId < b.nodeId ? -1 : 1));
          for (const t of top) {
            out.push({
              nodeId: t.nodeId,
              nodeType: t.nodeType,
              name: this.#names.get(t.nodeId) ?? surface,
              text: surface,
              start,
              end,
              kind: (Object.keys(ALIAS_RANK) as AliasKind[])[best] ?? 'synonym',
              candidates: top.length,
            });
          }
        }
        matched = n;
        break;
      }
      i += matched > 0 ? matched : 1;
    }
    return out;
  }

  /** Mentions of threat actors in `text`. */
  findActorMentions(text: string): Mention[] {
    return this.find(text, ['Actor']);
  }
}

const CACHE = new WeakMap<GraphStore, { revision: string; matcher: MentionMatcher }>();

/** Actors named in `text`, through the graph's alias table (matcher cached per graph). */
export async function findActorMentions(graph: GraphStore, text: string): Promise<Mention[]> {
  return (await MentionMatcher.forGraph(graph)).findActorMentions(text);
}
