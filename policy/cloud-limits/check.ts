import { compilePath, CompiledPath, Constraint, Context, Family, families, resolve } from "./model";
import { entryFor } from "./table";

/**
 * Evaluates the table against one resource's inputs. Per type, the constraints are grouped by
 * family once (and the auto-naming alternatives compiled once), so a plan's thousands of resources
 * cost a map lookup and the constraints of their own type.
 */

type Props = Record<string, unknown>;

export interface Violation {
    readonly family: Family;
    readonly message: string;
}

interface Prepared {
    readonly constraint: Constraint;
    readonly unless: readonly CompiledPath[];
}

const prepared = new Map<string, ReadonlyMap<Family, readonly Prepared[]>>();

function preparedFor(type: string): ReadonlyMap<Family, readonly Prepared[]> | undefined {
    let p = prepared.get(type);
    if (!p) {
        const e = entryFor(type);
        if (!e) {
            return undefined;
        }
        const byFamily = new Map<Family, Prepared[]>(families.map((f) => [f, []]));
        for (const c of e.constraints) {
            byFamily.get(c.family)?.push({ constraint: c, unless: (c.autoName?.unless ?? []).map(compilePath) });
        }
        p = byFamily;
        prepared.set(type, p);
    }
    return p;
}

/** Provider inputs arrive JSON-encoded (the SDK serialises a provider's object inputs). */
function decodeProvider(props: Props): Props {
    const out: Props = {};
    for (const [k, v] of Object.entries(props)) {
        if (typeof v === "string" && (v.startsWith("{") || v.startsWith("["))) {
            try {
                out[k] = JSON.parse(v);
                continue;
            } catch {
                // not JSON after all: keep the string
            }
        }
        out[k] = v;
    }
    return out;
}

/** Providers are few and shared by many resources: decode each one's inputs once. */
const decodedProviders = new WeakMap<Props, Props>();
function decodedProvider(props: Props): Props {
    let d = decodedProviders.get(props);
    if (!d) {
        d = decodeProvider(props);
        decodedProviders.set(props, d);
    }
    return d;
}

function shown(value: unknown, secret: boolean | undefined): string {
    if (secret) {
        return typeof value === "string" ? `[secret, ${value.length} characters]` : "[secret]";
    }
    if (typeof value === "string") {
        return `"${value}" (${value.length} characters)`;
    }
    const json = JSON.stringify(value) ?? String(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
}

/** Placeholder for the provider's random suffix: lowercase hex, as Pulumi generates it. */
const SUFFIX = "0a1b2c3d4e5f";

function describe(type: string, name: string, path: string, value: string, limit: string, source: string): string {
    return `${type} "${name}": ${path} = ${value} breaks the limit: ${limit} (source: ${source})`;
}

/** The family's violations for one resource; an unknown type has none here (the coverage test catches it). */
export function violations(type: string, name: string, rawProps: Props, family: Family, providerProps?: Props): Violation[] {
    const table = preparedFor(type)?.get(family);
    if (!table || table.length === 0) {
        return [];
    }
    const props = type.startsWith("pulumi:providers:") ? decodeProvider(rawProps) : rawProps;
    const context: Context = { provider: providerProps && decodedProvider(providerProps) };
    const out: Violation[] = [];
    for (const { constraint: c, unless } of table) {
        if (c.when && !c.when(props)) {
            continue;
        }
        const found = resolve(props, c.path);
        if (found.length === 0 && c.autoName && !unless.some((u) => resolve(props, u).length > 0)) {
            const generated = `${name}-${SUFFIX.slice(0, c.autoName.suffix)}`;
            const limit = c.test(generated, props, context);
            if (limit) {
                const value = `auto-named "${name}-<${c.autoName.suffix} random>" (${generated.length} characters)`;
                out.push({ family, message: describe(type, name, c.path.text, value, limit, c.source) });
            }
            continue;
        }
        for (const f of found) {
            const limit = c.test(f.value, props, context);
            if (limit) {
                out.push({ family, message: describe(type, name, f.path, shown(f.value, c.secret), limit, c.source) });
            }
        }
    }
    return out;
}

/** Every family's violations (for tests and tooling). */
export function allViolations(type: string, name: string, props: Props, providerProps?: Props): Violation[] {
    return families.flatMap((f) => violations(type, name, props, f, providerProps));
}
