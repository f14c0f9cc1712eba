import { DEFAULT_EXTENSIONS, systemExtensions } from '../config/model-files.js';
import type { ModelEntry } from '../manifest/types.js';
import { compileModelNameAnalyzer, type ModelNameAnalysis } from './analyze-model-name.js';
import { checkModelName, EXTENSION_PATTERN, SYSTEM_FORBIDDEN } from './check-model-name.js';
import { variantsFromOldName } from './variant-tags.js';
import { isoDateFromCompact, isoTimeFromCompact } from '../util/calendar.js';
import { isValidNameAt } from './is-valid-name-at.js';
import { namingMessages as msg } from './naming-messages.js';
import { parseCreatedAt } from './parse-created-at.js';
import { renderModelName } from './render-model-name.js';
import type { LintNamesResult, NameViolation, NamingContext, ParsedModelName } from './types.js';

const UNDERSCORE = 95;

/** The `_YYYYMMDD_HHMMSS` stamp that old names (and conventional ones) end with. */
const STEM_STAMP = /_(\d{8})_(\d{6})$/;
/** `33features` / `33feature` / `33f` in an old name, used only when the manifest lacks feature_count. */
const OLD_FEATURES = /_([1-9]\d*)f(?:eatures?)?(?=_|$)/;

/** A manifest model found for a file. */
interface Hit {
  system: string;
  id: string;
  entry: ModelEntry;
}

interface ManifestIndex {
  byId: Map<string, Hit>;
  byFile: Map<string, Hit>;
}

/**
 * Checks model file names against the convention and, where the manifest knows the model,
 * against its facts. Paths whose extension no system configures (compared ignoring case,
 * so `MODEL.CBM` is checked, not skipped) are counted as ignored; names listed in any
 * system's `artifacts.legacy` pass. Only the basename is judged. A violation's `reason`
 * says why (`old format`, `unknown system`, `not a calendar date`, `start after end`,
 * `end after creation`, `bad extension`, `training_end: name says …, manifest says …`)
 * and the fix; `expected` is the correct name when the facts are known (see `deriveExpected`).
 *
 * Built for whole repositories (100,000 paths in well under a second): everything
 * per-configuration (regexes, extension table, legacy set, manifest indexes) is built once
 * per call; an ignored path costs a few character compares, and a valid name is checked in
 * place by `isValidNameAt` (plus two map lookups when manifests are given). Only names
 * that may be wrong, or that the manifest describes, go through the full analyzer.
 */
export function lintNames(paths: readonly string[], ctx: NamingContext): LintNamesResult {
  const linter = new NameLinter(ctx);
  let checked = 0;
  let ignored = 0;
  const violations: NameViolation[] = [];
  for (const path of paths) {
    // The basename is addressed by offset: the common valid name is judged without copying it.
    const start = basenameStart(path);
    let extLength = linter.configuredSuffixLength(path, start);
    if (ctx.isModelFile !== undefined) {
      // The config's answer decides (include globs); the extension is then the file's own.
      if (!ctx.isModelFile(path)) {
        ignored++;
        continue;
      }
      if (extLength < 0) extLength = ownExtensionLength(path, start);
    } else if (extLength < 0) {
      ignored++;
      continue;
    }
    checked++;
    if (linter.isLegacy(path, start) || linter.passesFast(path, start, extLength)) continue;
    const violation = linter.judge(path, path.slice(start), extLength);
    if (violation !== undefined) violations.push(violation);
  }
  return { checked, ignored, violations };
}

class NameLinter {
  private readonly legacy = new Set<string>();
  /** Lengths of the legacy names, so most paths are ruled out without slicing a basename. */
  private readonly legacyLengths = new Set<number>();
  private readonly systemIds: string[];
  /** Ids longest first, for the fast path. */
  private readonly fastIds: string[];
  /** Ids `checkModelName` rejects (spaces, slashes): the fast path leaves them to `judge`. */
  private readonly malformedIds = new Set<string>();
  /** Per system, the extensions the fast path may accept (those `checkModelName` accepts). */
  private readonly fastExtensions = new Map<string, readonly string[]>();
  private readonly analyze: (basename: string) => ModelNameAnalysis;
  private readonly extensions = new Map<string, readonly string[]>();
  /** Every configured extension, lower-cased, longest first so `.tar.gz` beats `.gz`. */
  private readonly anyExtension: string[];
  private readonly indexes = new Map<string, ManifestIndex>();

  constructor(ctx: NamingContext) {
    this.systemIds = ctx.systems.map((s) => s.id);
    this.analyze = compileModelNameAnalyzer(this.systemIds);
    const lower = new Set<string>();
    for (const system of ctx.systems) {
      const exts = systemExtensions(system);
      this.extensions.set(system.id, exts);
      for (const ext of exts) lower.add(ext.toLowerCase());
      this.fastExtensions.set(system.id, exts.filter((ext) => EXTENSION_PATTERN.test(ext)));
      for (const name of system.artifacts?.legacy ?? []) {
        // Accept a path in the config as well; names are matched by basename.
        if (typeof name === 'string' && name.length > 0) this.legacy.add(basenameOf(name));
      }
    }
    this.anyExtension = [...lower].sort((a, b) => b.length - a.length);
    for (const name of this.legacy) this.legacyLengths.add(name.length);
    // Same candidates and order as the analyzer, so both settle on the same system.
    this.fastIds = [...new Set(this.systemIds)]
      .filter((id) => typeof id === 'string' && id.length > 0)
      .sort((a, b) => b.length - a.length);
    for (const id of this.fastIds) if (SYSTEM_FORBIDDEN.test(id)) this.malformedIds.add(id);
    for (const [system, manifest] of ctx.manifests) this.indexes.set(system, indexManifest(system, manifest?.models));
  }

  /** Length of the configured extension the basename at `start` ends with (ignoring case), or -1. */
  configuredSuffixLength(path: string, start: number): number {
    for (const ext of this.anyExtension) if (endsWithIgnoreCase(path, start, ext)) return ext.length;
    return -1;
  }

  isLegacy(path: string, start: number): boolean {
    return this.legacyLengths.has(path.length - start) && this.legacy.has(path.slice(start));
  }

  /**
   * True when the basename at `start` is certainly fine: under the longest configured id
   * that prefixes it (the one the full analyzer tries first, and keeps whenever the rest
   * matches) the rest is valid (`isValidNameAt`), the extension is one of that system's own,
   * and no manifest entry describes the file (entries need the field-by-field comparison in
   * `judge`). Anything else goes to `judge`, which gives the reason.
   */
  passesFast(path: string, start: number, extLength: number): boolean {
    let system: string | undefined;
    for (const id of this.fastIds) {
      if (path.startsWith(id, start) && path.charCodeAt(start + id.length) === UNDERSCORE) {
        system = id;
        break;
      }
    }
    if (system === undefined || this.malformedIds.has(system)) return false;
    const end = path.length - extLength;
    let extOk = false;
    for (const ext of this.fastExtensions.get(system) ?? DEFAULT_EXTENSIONS) {
      if (ext.length === extLength && path.endsWith(ext)) {
        extOk = true;
        break;
      }
    }
    if (!extOk || !isValidNameAt(path, start + system.length + 1, end)) return false;
    return this.indexes.size === 0 || this.findEntry(path.slice(start), path.slice(start, end), system) === undefined;
  }

  judge(path: string, base: string, extLength: number): NameViolation | undefined {
    const stem = base.slice(0, base.length - extLength);
    const analysis = this.analyze(base);
    let problems: string[];
    let hit: Hit | undefined;
    let disagreed = false;

    switch (analysis.kind) {
      case 'conventional': {
        const p = analysis.parts;
        const allowed = this.extensionsOf(p.system);
        const extOk = allowed.includes(p.ext);
        hit = this.findEntry(base, stem, p.system);
        // Comparing with the manifest only means something when the name's own values are valid.
        const disagreements =
          hit !== undefined && analysis.problems.length === 0 ? compareWithManifest(p, hit) : undefined;
        // Fine after all, e.g. a manifest entry that agrees, or a system id the fast path leaves alone.
        if (extOk && analysis.problems.length === 0 && disagreements === undefined) return undefined;
        problems = [...analysis.problems];
        if (!extOk) problems.push(msg.extensionNotConfigured(p.ext, p.system, allowed));
        if (disagreements !== undefined) {
          problems.push(...disagreements);
          disagreed = true;
        }
        break;
      }
      case 'old-format':
        hit = this.findEntry(base, stem, analysis.system);
        problems = [msg.oldFormat()];
        break;
      case 'unknown-system':
        hit = this.findEntry(base, stem, undefined);
        problems = [msg.unknownSystem(analysis.head, this.systemIds)];
        break;
      case 'unrecognized':
        hit = this.findEntry(base, stem, undefined);
        problems = [msg.noSystemPrefix(this.systemIds)];
        break;
    }

    const expected = this.deriveExpected(base, stem, analysis, hit);
    const reason = msg.withFix(problems, this.fixFor(analysis, base, expected, disagreed ? hit : undefined));
    return expected === undefined ? { path, reason } : { path, reason, expected };
  }

  /**
   * The correct name, when the facts are known. From a manifest entry: its feature_count
   * (else the name's own count), its training window, the creation stamp from `created_at`
   * (else the name's own `_YYYYMMDD_HHMMSS`), the name's variants if it was conventional,
   * and the file's extension when the system allows it (else the system's first). Without an
   * entry, only a conventional name whose values are all valid (so only its extension or a
   * leading zero was wrong) yields one. A candidate that would itself break a rule (e.g. the
   * manifest's training_end after the creation date) is not offered.
   */
  private deriveExpected(base: string, stem: string, a: ModelNameAnalysis, hit: Hit | undefined): string | undefined {
    const own = a.kind === 'conventional' ? a.parts : undefined;
    // A suggestion never turns a name of a system that is not configured into one of another
    // system (`catboost_v12_50f_…` in a manifest only catboost_v9 reads is not a catboost_v9
    // model): the user settles that by configuring the system. A configured system's model is
    // named after the system the manifest split gives it.
    const head = claimedSystem(a, stem);
    if (hit !== undefined && head !== undefined && head !== hit.system && !this.systemIds.includes(head)) return undefined;
    const system = hit?.system ?? own?.system;
    if (system === undefined) return undefined;
    const ext = this.pickExtension(system, base);
    let candidate: ParsedModelName;
    if (hit !== undefined) {
      const e = hit.entry;
      const stamp =
        parseCreatedAt(e.created_at) ??
        (own !== undefined ? { date: own.createdDate, time: own.createdTime } : stampFromStem(stem));
      const features = typeof e.feature_count === 'number' ? e.feature_count : (own?.features ?? featuresFromOldName(stem));
      // An old name's tags (`…_50f_huber_rsm50_…`) are kept; one that is no valid tag means no suggestion.
      const variants = own?.variants ?? variantsFromOldName(stem, head ?? system);
      if (stamp === undefined || features === undefined || variants === undefined) return undefined;
      candidate = {
        system,
        features,
        variants,
        trainStart: e.training_start,
        trainEnd: e.training_end,
        createdDate: stamp.date,
        createdTime: stamp.time,
        ext,
      };
    } else if (own !== undefined) {
      candidate = { ...own, ext };
    } else {
      return undefined;
    }
    if (checkModelName(candidate).length > 0) return undefined;
    const name = renderModelName(candidate);
    return name === base ? undefined : name;
  }

  private fixFor(a: ModelNameAnalysis, base: string, expected: string | undefined, disagreedWith: Hit | undefined): string {
    if (expected !== undefined) {
      if (a.kind === 'old-format') return msg.renameOldTo(expected, base, a.system);
      if (disagreedWith !== undefined) return msg.renameToManifest(expected, disagreedWith.id);
      return msg.renameTo(expected);
    }
    switch (a.kind) {
      case 'conventional':
        return disagreedWith !== undefined ? msg.manifestFix(disagreedWith.id) : msg.badValuesFix(a.parts.system);
      case 'old-format':
        return msg.oldFormatFix(base, a.system);
      case 'unknown-system':
      case 'unrecognized':
        return msg.unknownSystemFix(this.systemIds);
    }
  }

  private extensionsOf(system: string): readonly string[] {
    return this.extensions.get(system) ?? DEFAULT_EXTENSIONS;
  }

  /** The file's own extension if `system` allows it exactly, else its case-fixed form, else the first allowed. */
  private pickExtension(system: string, base: string): string {
    const allowed = this.extensionsOf(system);
    let caseFixed: string | undefined;
    for (const ext of allowed) {
      if (base.endsWith(ext) && base.length > ext.length) return ext;
      if (caseFixed === undefined && endsWithIgnoreCase(base, 0, ext.toLowerCase())) caseFixed = ext;
    }
    return caseFixed ?? allowed[0] ?? DEFAULT_EXTENSIONS[0];
  }

  /**
   * The manifest entry whose id is the basename without extension, or whose gcs_path ends
   * in the basename. The system the name claims is searched first, so an id present in two
   * manifests resolves to the one the name belongs to.
   */
  private findEntry(base: string, stem: string, preferred: string | undefined): Hit | undefined {
    if (this.indexes.size === 0) return undefined;
    if (preferred !== undefined) {
      const ix = this.indexes.get(preferred);
      const hit = ix?.byId.get(stem) ?? ix?.byFile.get(base);
      if (hit !== undefined) return hit;
    }
    for (const [system, ix] of this.indexes) {
      if (system === preferred) continue;
      const hit = ix.byId.get(stem) ?? ix.byFile.get(base);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }
}

/** Each field where the manifest entry and the name differ, quoting both values. */
function compareWithManifest(p: ParsedModelName, hit: Hit): string[] | undefined {
  let out: string[] | undefined;
  const differ = (field: string, nameSays: string, manifestSays: string): void => {
    (out ??= []).push(msg.manifestDisagrees(hit.id, field, nameSays, manifestSays));
  };
  const e = hit.entry;
  if (hit.system !== p.system) differ('system', p.system, hit.system);
  if (typeof e.feature_count === 'number' && e.feature_count !== p.features) {
    differ('feature_count', String(p.features), String(e.feature_count));
  }
  if (typeof e.training_start === 'string' && e.training_start !== p.trainStart) {
    differ('training_start', p.trainStart, e.training_start);
  }
  if (typeof e.training_end === 'string' && e.training_end !== p.trainEnd) {
    differ('training_end', p.trainEnd, e.training_end);
  }
  return out;
}

/** The system a name claims: the text before its feature count (`catboost_v12` in `catboost_v12_50f_…`). */
function claimedSystem(a: ModelNameAnalysis, stem: string): string | undefined {
  if (a.kind === 'conventional') return a.parts.system;
  if (a.kind === 'unknown-system') return a.head;
  return /^(.+?)_[1-9]\d*f(?:eatures?)?(?:_|$)/.exec(stem)?.[1] ?? (a.kind === 'old-format' ? a.system : undefined);
}

/** Length of the basename's own extension (`.txt`), 0 when it has none. */
function ownExtensionLength(path: string, start: number): number {
  const dot = path.lastIndexOf('.');
  return dot > start ? path.length - dot : 0;
}


function indexManifest(system: string, models: unknown): ManifestIndex {
  const byId = new Map<string, Hit>();
  const byFile = new Map<string, Hit>();
  if (models !== null && typeof models === 'object') {
    for (const [id, entry] of Object.entries(models as Record<string, unknown>)) {
      if (entry === null || typeof entry !== 'object') continue;
      const hit: Hit = { system, id, entry: entry as ModelEntry };
      byId.set(id, hit);
      const gcsPath = (entry as ModelEntry).gcs_path;
      if (typeof gcsPath === 'string') {
        const file = basenameOf(gcsPath);
        // First entry wins: two entries for one file is a manifest problem, reported elsewhere.
        if (file.length > 0 && !byFile.has(file)) byFile.set(file, hit);
      }
    }
  }
  return { byId, byFile };
}

/** Basename for both `/` and `\\` separators (git lists `/`, Windows users may pass `\\`). */
function basenameOf(path: string): string {
  return path.slice(basenameStart(path));
}

function basenameStart(path: string): number {
  return Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
}

/**
 * The basename at `start` ends with `lowerSuffix` ignoring ASCII case, and has something
 * before it (a bare `.cbm` is a dotfile, not a model). Folds per character so that no
 * lower-cased copy of the path is made.
 */
function endsWithIgnoreCase(s: string, start: number, lowerSuffix: string): boolean {
  const offset = s.length - lowerSuffix.length;
  if (offset <= start) return false;
  for (let i = 0; i < lowerSuffix.length; i++) {
    let c = s.charCodeAt(offset + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lowerSuffix.charCodeAt(i)) return false;
  }
  return true;
}

function stampFromStem(stem: string): { date: string; time: string } | undefined {
  const m = STEM_STAMP.exec(stem);
  return m === null ? undefined : { date: isoDateFromCompact(m[1]), time: isoTimeFromCompact(m[2]) };
}

function featuresFromOldName(stem: string): number | undefined {
  const m = OLD_FEATURES.exec(stem);
  return m === null ? undefined : Number(m[1]);
}
