import { statedCvssScore } from './cvss.js';
import { countRules, type TextRule } from './rules.js';
import type { SlotDefinition } from './slot.js';

/** How a pattern's matches become its slot value. */
export type PatternValue = 'flag' | 'log-count' | 'cvss-score';

/** A pattern rule; `value` defaults to `flag` (1 when matched, else 0). */
export interface PatternRule extends TextRule {
  value?: PatternValue;
}

/** Where a CVSS score can come from; the value itself is computed by `statedCvssScore`. */
const STATED_OR_VECTOR = /\bcvss\S{0,4}(?: v?\d(?:\.\d)?)?(?: base)? score|\bbase score|\bcvss:3\.[01]\//g;

/**
 * Severity-bearing patterns (slots 100-127): stated scores and ratings, the
 * CVSS base-metric hints CNAs write in prose (attack vector, privileges, user
 * interaction, complexity, scope, impact), exploit availability, and context.
 * All rules run on lower-case text; CVSS vector fragments (`av:n`, `pr:l`, ...)
 * count as the hint they encode.
 */
export const PATTERN_RULES: readonly PatternRule[] = Object.freeze([
  {
    name: 'pat.cvss_vector',
    description:
      'A CVSS v3 base vector string (CVSS:3.x/AV:..) or CVSS v2 vector (AV:N/AC:L/Au:N/..) is present.',
    pattern: /\bcvss:3\.[01]\/av:[nalp]\/|\(?av:[nal]\/ac:[lmh]\/au:[nsm]\//g,
  },
  {
    name: 'pat.cvss_score',
    description:
      'The CVSS score the text states ("CVSS 3.1 Base Score 7.5") or, failing that, the score computed from a v3 vector in the text.',
    pattern: STATED_OR_VECTOR,
    value: 'cvss-score',
  },
  {
    name: 'pat.stated_critical',
    description: 'The text rates itself critical ("classified as critical", "severity: critical").',
    pattern:
      /\b(?:(?:classified|rated|declared|considered|assessed|scored) as critical|critical[- ]severity|severity(?: level| rating)?(?::| of| is) critical|critical[- ]rated|critical (?:security )?(?:vulnerability|vulnerabilities|flaw|issue|bug))\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.stated_high',
    description: 'The text rates itself high ("severity: high", "high-severity", "rated as high").',
    pattern:
      /\b(?:(?:classified|rated|declared|considered|assessed|scored) as (?:high|important)|high[- ]severity|severity(?: level| rating)?(?::| of| is) (?:high|important)|high[- ]risk (?:vulnerability|issue|flaw))\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.stated_medium',
    description: 'The text rates itself medium, moderate or "problematic" (VulDB\'s wording below critical).',
    pattern:
      /\b(?:(?:classified|rated|declared|considered|assessed|scored) as (?:medium|moderate|problematic)|(?:medium|moderate)[- ]severity|severity(?: level| rating)?(?::| of| is) (?:medium|moderate))\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.stated_low',
    description: 'The text rates itself low or informational ("severity: low", "low-severity").',
    pattern:
      /\b(?:(?:classified|rated|declared|considered|assessed|scored) as (?:low|informational)|low[- ]severity|severity(?: level| rating)?(?::| of| is) (?:low|informational|none))\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.remote',
    description:
      'Network attack vector: remote attackers, "initiated remotely", network access, over the internet (AV:N).',
    pattern:
      /\b(?:remote(?:,? (?:unauthenticated|authenticated|unprivileged|low[- ]privileged|privileged|anonymous))?,? (?:attackers?|users?|adversar(?:y|ies)|actors?)|remotely|network access|over (?:the|a) network|via (?:the |a )?network|network[- ]based|from the internet|over the internet|internet[- ]facing|av:n)\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.local',
    description:
      'Local attack vector: local users or attackers, local access, "approached locally", logon to the host (AV:L).',
    pattern:
      /\b(?:local(?:,? (?:authenticated|unauthenticated|unprivileged|low[- ]privileged|privileged))?,? (?:attackers?|users?|adversar(?:y|ies)|accounts?)|local access|locally|approached locally|logon to the infrastructure|(?:access|logged in) to the (?:local )?(?:system|machine|host)|av:l)\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.adjacent_physical',
    description:
      'Adjacent or physical attack vector: same network segment, Bluetooth/Wi-Fi range, physical access or proximity (AV:A, AV:P).',
    pattern:
      /\b(?:(?:network[- ])?adjacent(?: network)?(?: attackers?| access)?|same (?:local )?(?:network|subnet|network segment|wi-?fi|lan|broadcast domain)|physical(?:ly)? (?:access|proximity|present|attackers?)|physical attack|bluetooth|(?:radio|wi-?fi|wireless) range|(?:usb|jtag|uart|serial) (?:access|port|interface|connection)|av:[ap])\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.unauthenticated',
    description:
      'No privileges needed: unauthenticated or unauthorised attackers, "authentication is not required", anonymous access, pre-auth (PR:N).',
    pattern:
      /\b(?:unauthenticated|unauthori[sz]ed (?:remote )?(?:attackers?|users?|actors?)|without (?:any )?(?:prior )?(?:authentication|authori[sz]ation|credentials|logging in|login|privileges|an account)|(?:authentication|credentials|privileges) (?:is|are) not required|(?:does|do) not require (?:any )?(?:authentication|credentials|privileges|an account)|anonymous (?:users?|attackers?|access|visitors?)|pre-?auth(?:entication|enticated)?|pr:n)\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.low_privileges',
    description:
      'Some privileges needed: authenticated or authorised users, low-privileged accounts, subscriber/contributor/author level, valid credentials (PR:L). Negated ("does not require authentication") counts as unauthenticated.',
    pattern:
      /\b(?:authenticated(?:,? (?:remote|local|low[- ]privileged))?,? (?:attackers?|users?|actors?|adversar(?:y|ies))|authori[sz]ed (?:attackers?|users?)|low[- ]privileged?|low privileges|requires? (?:an? )?(?:valid )?(?:authentication|credentials|account|user account|login)|requires? (?:the attacker|an attacker) to (?:be authenticated|have (?:valid )?(?:credentials|an account))|(?:with|having|has) (?:valid )?(?:credentials|an account|a valid account|user accounts?)|logged[- ]in (?:users?|attackers?)|(?:subscriber|contributor|author|customer|member)[- ]level|pr:l)\b/g,
    negated: 'pat.unauthenticated',
  },
  {
    name: 'pat.high_privileges',
    description:
      'High privileges needed: administrator/editor-level access, high-privileged attackers, admin credentials (PR:H).',
    pattern:
      /\b(?:(?:administrator|admin|administrative|editor|shop manager|super admin)[- ]level|high(?:ly)?[- ]privileged|(?:attackers?|users?|actors?|accounts?) with (?:valid )?(?:administrator|admin|administrative|high) (?:privileges|permissions|access|rights|credentials)|(?:requires?|requiring|having|needs?|must have) (?:valid )?(?:administrator|admin|administrative|root|high|elevated|privileged|system) (?:privileges|permissions|access|rights|credentials|accounts?)|authenticated,? (?:administrator|admin)s?|(?:administrator|admin) credentials|pr:h)\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.user_interaction',
    description:
      'User interaction needed: a victim must click, open or visit; social engineering; human interaction (UI:R). Negated ("no user interaction is required") counts as no interaction.',
    pattern:
      /\b(?:(?:requires?|required|need(?:s|ed)?) (?:some |any )?(?:user|victim|human) interaction|(?:user|victim|human) interaction (?:is |was )?(?:required|needed|necessary)|(?:victims?|users?|targets?|administrators?|admins?) (?:must|to|would need to|needs? to) (?:visit|open|click|view|navigate|perform|be tricked|be lured|interact|import|load|install)|(?:trick|convinc|entic|persuad|lur|induc)\w* (?:a |an |the )?(?:[\w-]+ )?(?:users?|victims?|administrators?|admins?|targets?)|social engineering|(?:click(?:s|ing)? (?:on )?(?:a|an|the)|visit(?:s|ing)? (?:a|an)|open(?:s|ing)? (?:a|an)) (?:specially[- ])?(?:crafted|malicious)|human interaction|user[- ]assisted|ui:r)\b/g,
    negated: 'pat.no_user_interaction',
  },
  {
    name: 'pat.no_user_interaction',
    description: 'No user interaction needed: "without user interaction", zero-click (UI:N).',
    pattern:
      /\b(?:(?:without|no|not requiring) (?:any )?(?:user|victim|human) interaction|zero[- ]click|0[- ]click|ui:n)\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.version_range',
    description:
      'An affected-version range: "before 2.4.1", "prior to", "through", "up to and including", "and earlier", "< 3.0".',
    pattern:
      /(?:\b(?:before|prior to|through|up to(?:,? and including,?)?|earlier than|lower than|older than|below|from)|<=?)\s?(?:v(?:ersion)?\.?\s?)?\d+(?:\.\w+)+|\b\d+(?:\.\w+)+,? (?:and|or) (?:earlier|prior|below|older|lower|before)\b/g,
  },
  {
    name: 'pat.version_mentions',
    description: 'How many version-like numbers (1.2, v3.4.5) the text mentions.',
    pattern: /\bv?\d+\.\d+(?:\.\d+)*\b/g,
    value: 'log-count',
  },
  {
    name: 'pat.public_exploit',
    description:
      'A public exploit or proof of concept exists: "exploit has been disclosed to the public", PoC, exploit code, Metasploit.',
    pattern:
      /\b(?:exploit (?:has been|was|is|had been) (?:disclosed|published|made public|publicly available|released|available)|publicly (?:available|disclosed|released|known) (?:exploits?|pocs?|proofs? of concept)|(?:public|published|working) (?:exploits?|pocs?|proof[- ]of[- ]concepts?)|proof[- ]of[- ]concept|poc|exploit code|metasploit|exploit-db|exploit ?db)\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.no_fix',
    description:
      'No fix to be expected: vendor did not respond, no patch or fix available, end of life, no longer supported or maintained.',
    pattern:
      /\b(?:(?:did not|didn't|does not|failed to) respond|no (?:official )?(?:fix|patch|update|solution)(?:es)? (?:is |are |has been |have been )?(?:available|planned|released|provided)|not (?:yet )?(?:been )?(?:fixed|patched)|unpatched|end[- ]of[- ]life|eol|no longer (?:supported|maintained)|unsupported (?:products?|versions?|software)|unmaintained)\b/g,
  },
  {
    name: 'pat.full_compromise',
    description:
      'High impact: complete compromise or takeover, full control, code running as root/SYSTEM/kernel, high confidentiality+integrity+availability impact (C:H/I:H/A:H).',
    pattern:
      /\b(?:(?:complete|full|total) (?:compromise|control|takeover|access|system compromise|loss)|take (?:over|control of)|takeover|compromise (?:of )?(?:the )?(?:entire |whole |affected |underlying |host )?(?:system|server|host|device|network|machine)|high impact|confidentiality, integrity,? and availability|c:h\/i:h\/a:h|with (?:root|system|kernel|administrator|admin) (?:privileges|rights|permissions)|in the context of (?:the )?(?:root|system|kernel|privileged)|as (?:root|system|nt authority)|nt authority\\system|kernel (?:mode|privileges|context))\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.limited_impact',
    description:
      'Limited impact: partial, minor or limited effects, a subset of data, "low impact", Oracle\'s "unauthorized read access to a subset", low C/I/A in a vector.',
    pattern:
      /\b(?:limited|partial(?:ly)?|minor|low impact|slight(?:ly)?|(?:a )?subset of|some (?:information|data|files)|(?:c|i|a):l)\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.high_complexity',
    description:
      'High attack complexity: "complexity is rather high", difficult to exploit, race conditions, timing and side channels, man-in-the-middle, non-default settings (AC:H).',
    pattern:
      /\b(?:complexity (?:of an attack )?is (?:rather )?high|high (?:attack )?complexity|difficult to exploit|exploitability is told to be difficult|hard to exploit|race condition|time[- ]of[- ]check|toctou|timing (?:attacks?|side[- ]channels?)|side[- ]channel|(?:man|machine|adversary|attacker)[- ](?:in|on)[- ]the[- ](?:middle|side)|mitm|brute[- ]forc\w*|non[- ]default (?:configurations?|settings?)|not (?:enabled|configured) by default|(?:specific|certain|rare) (?:conditions|circumstances|configurations?)|ac:h)\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.low_complexity',
    description:
      'Low attack complexity: "easily exploitable", trivial to exploit, a single request or packet (AC:L).',
    pattern:
      /\b(?:easily exploitable|easy to exploit|trivial(?:ly)? (?:to )?exploit(?:able|ed)?|low (?:attack )?complexity|(?:a )?single (?:crafted |malicious |http )?(?:request|packet|message)|ac:l)\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.crafted_input',
    description:
      'Exploitation by crafted input: specially crafted or malformed requests, packets, files, URLs.',
    pattern:
      /\b(?:(?:specially[- ])?crafted|malformed|malicious(?:ly crafted)? (?:requests?|packets?|files?|payloads?|inputs?|urls?|links?|pages?|documents?|images?|messages?|archives?|e-?mails?|headers?))\b/g,
  },
  {
    name: 'pat.web_application',
    description:
      'Web application context: HTTP requests, parameters and arguments, web interfaces and endpoints, PHP files, admin panels.',
    pattern:
      /\b(?:http(?:s)? (?:requests?|post|get|headers?)|(?:web|ajax|rest|api) (?:requests?|interfaces?|endpoints?|pages?|servers?|applications?|services?|ui|consoles?)|web[- ]based|parameters?|(?:the )?argument|[\w-]+\.(?:php|asp|aspx|jsp|cgi)|admin (?:panel|dashboard|page|interface)|browsers?)\b/g,
  },
  {
    name: 'pat.cms_plugin',
    description:
      'CMS plugin or theme context: WordPress, Joomla, Drupal, WooCommerce, Magento, plugins, themes, extensions.',
    pattern:
      /\b(?:wordpress|joomla|drupal|woocommerce|magento|prestashop|plugins?|themes?|extensions? for)\b/g,
  },
  {
    name: 'pat.os_kernel_firmware',
    description:
      'System-level context: kernels, drivers, firmware, BIOS/UEFI, hypervisors, routers and embedded devices, mobile OS, ICS/SCADA.',
    pattern:
      /\b(?:kernel|drivers?|firmware|bios|uefi|hypervisor|bootloader|trustzone|baseband|modem|routers?|plcs?|scada|ics|android|ipados|ios|macos|windows)\b/g,
  },
  {
    name: 'pat.scope_change',
    description:
      'Changed scope: sandbox, container, VM or guest escape, impact on other users, tenants or components, "significantly impact additional products" (S:C).',
    pattern:
      /\b(?:(?:sandbox|container|vm|guest|chroot|jail|virtual machine) (?:escape|breakout)|escape (?:the |from the |from a )?(?:sandbox|container|vm|guest|virtual machine)|guest[- ]to[- ]host|other (?:users?|tenants?|customers?|virtual machines?|vms?|components?|sites?|accounts?)|(?:beyond|outside) (?:of )?(?:the )?(?:vulnerable|affected) component|cross[- ]tenant|significantly impact additional products|scope (?:is )?changed?|s:c)\b/g,
    negated: 'drop',
  },
  {
    name: 'pat.disputed',
    description:
      'Doubt that it is a vulnerability: DISPUTED, rejected, "not a security issue", intended behaviour, vendor disagrees.',
    pattern:
      /\b(?:disputed?|disputes|rejected|not a (?:security )?(?:vulnerability|issue|bug|risk)|intended (?:behavior|behaviour|functionality)|by design|vendor (?:does not|doesn't) consider|expected behavio(?:u)?r)\b/g,
  },
]);

const NORMALISATION: Record<PatternValue, { range: readonly [number, number]; normalisation: string }> = {
  flag: { range: [0, 1], normalisation: 'flag: 1 when matched, else 0' },
  'log-count': { range: [0, 2], normalisation: 'ln(1+n)/ln(1+20), capped at 2' },
  'cvss-score': { range: [0, 1], normalisation: 'score / 10; 0 when absent' },
};

/** The pattern family's slots, derived from {@link PATTERN_RULES}. */
export const PATTERN_SLOTS: readonly SlotDefinition[] = Object.freeze(
  PATTERN_RULES.map(
    (r): SlotDefinition => ({
      name: r.name,
      description: r.description,
      ...NORMALISATION[r.value ?? 'flag'],
    }),
  ),
);

/** Writes the pattern slots for `lower` into `out` from `offset`. */
export function writePatterns(lower: string, out: Float32Array, offset: number): void {
  const counts = countRules(lower, PATTERN_RULES);
  PATTERN_RULES.forEach((rule, k) => {
    const n = counts.get(rule.name) ?? 0;
    switch (rule.value ?? 'flag') {
      case 'cvss-score': {
        const score = n > 0 ? statedCvssScore(lower) : undefined;
        out[offset + k] = score === undefined ? 0 : score / 10;
        break;
      }
      case 'log-count':
        out[offset + k] = n <= 0 ? 0 : Math.min(2, Math.log1p(n) / Math.log1p(20));
        break;
      default:
        out[offset + k] = n > 0 ? 1 : 0;
    }
  });
}
