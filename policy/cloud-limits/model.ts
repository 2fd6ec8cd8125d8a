/**
 * The vocabulary of the cloud-limits table: a constraint is a property path, a test that returns
 * the limit a value breaks (or undefined), a family (the finding's rule id) and the source the limit
 * comes from. Builders below compile each pattern and path once, when the table module loads; the
 * check itself constructs no regular expression.
 */

/** Constraint families; each is one CrossGuard policy `cloud-limits/<family>`. */
export const families = ["name", "value", "enum", "range", "aws-tags", "gcp-labels", "k8s-labels", "k8s-container", "k8s-port"] as const;
export type Family = (typeof families)[number];

type Props = Record<string, unknown>;

/** Returns the limit the value breaks, or undefined when it holds. `props` allows cross-field limits. */
export type Test = (value: unknown, props: Props, context: Context) => string | undefined;

/** What a test may read besides the value: the resource's explicit provider's inputs (decoded), if any. */
export interface Context {
    readonly provider?: Props;
}

interface Segment {
    readonly key: string;
    readonly each: boolean;
}

/** A path like `template.containers[].ports[].name`, split once. `[]` visits every element (or the one object). */
export interface CompiledPath {
    readonly text: string;
    readonly segments: readonly Segment[];
}

export function compilePath(text: string): CompiledPath {
    const segments = text === "" ? [] : text.split(".").map((s) => (s.endsWith("[]") ? { key: s.slice(0, -2), each: true } : { key: s, each: false }));
    return { text, segments };
}

export interface Found {
    /** The concrete path, with indices: `template.containers[0].name`. */
    readonly path: string;
    readonly value: unknown;
}

const isObject = (v: unknown): v is Props => v !== null && typeof v === "object" && !Array.isArray(v);

/** Every value at the path; an absent property yields nothing. */
export function resolve(props: Props, path: CompiledPath): Found[] {
    let current: Found[] = [{ path: "", value: props }];
    for (const seg of path.segments) {
        const next: Found[] = [];
        for (const f of current) {
            if (!isObject(f.value)) {
                continue;
            }
            const v = f.value[seg.key];
            if (v === undefined || v === null) {
                continue;
            }
            const here = f.path ? `${f.path}.${seg.key}` : seg.key;
            if (seg.each && Array.isArray(v)) {
                v.forEach((x, i) => next.push({ path: `${here}[${i}]`, value: x }));
            } else {
                next.push({ path: here, value: v });
            }
        }
        current = next;
    }
    return current;
}

/** Pulumi auto-naming: when the property is absent (and no prefix property is set) the provider names it `<logical name>-<suffix>`. */
export interface AutoName {
    /** Random characters after the dash: 7 for the bridged AWS/GCP providers, 8 for Kubernetes. */
    readonly suffix: number;
    /** Properties that, when set, replace auto-naming (e.g. `namePrefix`). */
    readonly unless: readonly string[];
}

export interface Constraint {
    readonly family: Family;
    readonly path: CompiledPath;
    readonly test: Test;
    /** URL or provider schema reference the limit comes from. */
    readonly source: string;
    /** The value is a secret: the finding names its length, never the value. */
    readonly secret?: boolean;
    readonly autoName?: AutoName;
    /** Applies only when this holds (e.g. a Cloud SQL user's name limit for built-in users only). */
    readonly when?: (props: Props) => boolean;
}

/** One resource type's constraints, or none with the reason why. */
export interface TypeEntry {
    readonly constraints: readonly Constraint[];
    /** Why a type has no constraints (required when `constraints` is empty). */
    readonly none?: string;
}

// ---------------------------------------------------------------------------------------------
// Tests

export interface StringSpec {
    readonly min?: number;
    readonly max: number;
    readonly pattern?: RegExp;
    /** The pattern in words, for the finding. */
    readonly chars?: string;
    /** Forbidden forms: [pattern, what it forbids]. */
    readonly forbid?: readonly (readonly [RegExp, string])[];
}

/** Length and characters of a string. Lengths count UTF-16 units, as the APIs' documented limits do for ASCII names. */
export function stringTest(spec: StringSpec): Test {
    const min = spec.min ?? 1;
    return (v) => {
        if (typeof v !== "string") {
            return undefined;
        }
        if (v.length < min || v.length > spec.max) {
            return min === spec.max ? `exactly ${min} characters` : `${min}–${spec.max} characters`;
        }
        if (spec.pattern && !spec.pattern.test(v)) {
            return spec.chars ? `${spec.chars} (${spec.pattern.source})` : `pattern ${spec.pattern.source}`;
        }
        for (const [re, what] of spec.forbid ?? []) {
            if (re.test(v)) {
                return what;
            }
        }
        return undefined;
    };
}

export function enumTest(values: readonly (string | number)[]): Test {
    const set = new Set<unknown>(values);
    const text = `one of ${values.join(", ")}`;
    return (v) => (typeof v === "string" || typeof v === "number" ? (set.has(v) ? undefined : text) : undefined);
}

const NUMERIC = /^-?\d+(\.\d+)?$/;
const DURATION = /^(\d+(?:\.\d+)?)s$/;
const IPV4_CIDR = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/;

/** A number (or a numeric string) within one of the closed ranges. */
export function rangeTest(ranges: readonly (readonly [number, number])[], integer = true): Test {
    const text = ranges.map(([a, b]) => (a === b ? `${a}` : b === Number.MAX_SAFE_INTEGER ? `≥ ${a}` : `${a}–${b}`)).join(" or ");
    return (v) => {
        const n = typeof v === "number" ? v : typeof v === "string" && NUMERIC.test(v) ? Number(v) : undefined;
        if (n === undefined) {
            return undefined;
        }
        if (integer && !Number.isInteger(n)) {
            return `an integer ${text}`;
        }
        return ranges.some(([a, b]) => n >= a && n <= b) ? undefined : text;
    };
}

/** Durations such as "604800s" (protobuf Duration JSON) within [min, max] seconds. */
export function durationTest(minSeconds: number, maxSeconds: number, allowEmpty = false): Test {
    const text = `a duration of ${minSeconds}s–${maxSeconds}s`;
    return (v) => {
        if (typeof v !== "string" || (allowEmpty && v === "")) {
            return undefined;
        }
        const m = DURATION.exec(v);
        if (!m) {
            return `${text} written as "<seconds>s"`;
        }
        const s = Number(m[1]);
        return s >= minSeconds && s <= maxSeconds ? undefined : text;
    };
}

/** A map's keys and values (tags, labels) against per-entry tests and a count limit. */
export function mapTest(spec: { maxEntries: number; key: Test; value?: Test; label: string; inherited?: (context: Context) => readonly string[] }): Test {
    return (v, props, context) => {
        if (!isObject(v)) {
            return undefined;
        }
        const entries = Object.entries(v);
        // Keys the provider adds to every resource (default tags/labels) count towards the limit.
        const inherited = spec.inherited?.(context) ?? [];
        const total = inherited.length === 0 ? entries.length : new Set([...inherited, ...Object.keys(v)]).size;
        if (total > spec.maxEntries) {
            return `at most ${spec.maxEntries} ${spec.label}s (has ${total}${total > entries.length ? `, ${total - entries.length} from the provider` : ""})`;
        }
        for (const [k, x] of entries) {
            const bad = spec.key(k, props, context);
            if (bad) {
                return `${spec.label} key "${k}": ${bad}`;
            }
            const badValue = spec.value?.(x, props, context);
            if (badValue) {
                return `${spec.label} "${k}" value "${String(x)}": ${badValue}`;
            }
        }
        return undefined;
    };
}

/** The IPv4 CIDR's prefix length within [min, max]. */
export function cidrPrefixTest(min: number, max: number): Test {
    return (v) => {
        if (typeof v !== "string") {
            return undefined;
        }
        const m = IPV4_CIDR.exec(v);
        if (!m) {
            return "an IPv4 CIDR block";
        }
        const p = Number(m[2]);
        return p >= min && p <= max ? undefined : min === max ? `a /${min} block` : `a block from /${min} to /${max}`;
    };
}

// ---------------------------------------------------------------------------------------------
// Builders

export interface Options {
    readonly secret?: boolean;
    readonly when?: (props: Props) => boolean;
}

export function constraint(family: Family, path: string, test: Test, source: string, options: Options & { autoName?: AutoName } = {}): Constraint {
    return { family, path: compilePath(path), test, source, ...options };
}

/** A physical name: checked as given, or as `<logical>-<suffix>` when Pulumi names it. */
export function physicalName(path: string, spec: StringSpec, source: string, auto?: { suffix?: number; unless?: readonly string[] } | false): Constraint {
    return constraint("name", path, stringTest(spec), source, auto === false || auto === undefined ? {} : { autoName: { suffix: auto.suffix ?? 7, unless: auto.unless ?? [] } });
}

/** A name prefix the provider completes with a 26-character unique suffix (`id.PrefixedUniqueId`). */
export function namePrefix(path: string, maxTotal: number, source: string, suffix = 26): Constraint {
    const test: Test = (v) => (typeof v === "string" && v.length + suffix > maxTotal ? `at most ${maxTotal - suffix} characters (the provider appends ${suffix} to a ${maxTotal}-character limit)` : undefined);
    return constraint("name", path, test, source);
}

export function text(path: string, spec: StringSpec, source: string, options: Options = {}): Constraint {
    return constraint("value", path, stringTest(spec), source, options);
}

export function oneOf(path: string, values: readonly (string | number)[], source: string, options: Options = {}): Constraint {
    return constraint("enum", path, enumTest(values), source, options);
}

export function between(path: string, min: number, max: number, source: string, options: Options & { integer?: boolean } = {}): Constraint {
    return constraint("range", path, rangeTest([[min, max]], options.integer ?? true), source, options);
}

export function inRanges(path: string, ranges: readonly (readonly [number, number])[], source: string): Constraint {
    return constraint("range", path, rangeTest(ranges), source);
}

export function duration(path: string, minSeconds: number, maxSeconds: number, source: string, allowEmpty = false): Constraint {
    return constraint("range", path, durationTest(minSeconds, maxSeconds, allowEmpty), source);
}

export function custom(family: Family, path: string, test: Test, source: string, options: Options = {}): Constraint {
    return constraint(family, path, test, source, options);
}

/** An entry: constraints, or an empty list with the reason there is nothing to check. */
export function entry(...constraints: Constraint[]): TypeEntry {
    return { constraints };
}

export function nothing(reason: string): TypeEntry {
    return { constraints: [], none: reason };
}
