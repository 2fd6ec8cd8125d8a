import type { RegisteredResource } from "./engine";

/** A Kubernetes object as kubectl would apply it. */
export interface Manifest {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata: { readonly name?: string; readonly namespace?: string; readonly [k: string]: unknown };
    readonly [k: string]: unknown;
}

/** The manifest of one registered Kubernetes object and the cluster (provider) it goes to. */
export interface PlacedManifest {
    readonly cluster: string;
    readonly manifest: Manifest;
}

/**
 * Kubernetes objects the stack creates, from the registered inputs (secrets already masked).
 * Helm releases are not objects of their own (their charts render in the cluster) and are left out.
 */
export function manifestsOf(resources: readonly RegisteredResource[]): PlacedManifest[] {
    const out: PlacedManifest[] = [];
    for (const r of resources) {
        if (!r.custom || !r.type.startsWith("kubernetes:") || r.type.startsWith("kubernetes:helm.sh/")) {
            continue;
        }
        const inputs = (r.inputs ?? {}) as Record<string, unknown>;
        const m = /^kubernetes:([^:]+):(.+)$/.exec(r.type);
        if (!m) {
            continue;
        }
        const [group, version] = m[1].split("/");
        const apiVersion = typeof inputs.apiVersion === "string" ? inputs.apiVersion : group === "core" ? version : `${group}/${version}`;
        const kind = typeof inputs.kind === "string" ? inputs.kind : m[2];
        const metadata = (inputs.metadata ?? {}) as Manifest["metadata"];
        const rest = Object.fromEntries(Object.entries(inputs).filter(([k]) => !["apiVersion", "kind", "metadata"].includes(k)));
        out.push({ cluster: r.provider ?? "default", manifest: { apiVersion, kind, metadata, ...rest } });
    }
    return out;
}

/**
 * Kubernetes objects as YAML documents for kubectl. Manifests are plain JSON data, so a small
 * emitter suffices (the `yaml` package's document model was the bulk of writing a plan):
 * - a string stays plain only when no YAML 1.1 reader (kubectl's) could take it for another type
 *   or for syntax; otherwise it is a JSON string, which is a valid YAML double-quoted scalar;
 * - multi-line strings (scripts, config files) are literal blocks when that round-trips exactly.
 */
export function toYaml(doc: unknown): string {
    const inline = scalar(doc);
    return `${inline ?? collection(doc, "").join("\n")}\n`;
}

// Words YAML 1.1 resolves to booleans or null (kubectl reads YAML 1.1).
const reserved = new Set(["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"]);

function str(s: string): string {
    if (/^[A-Za-z_/][A-Za-z0-9_./-]*$/.test(s) && !reserved.has(s.toLowerCase())) {
        return s;
    }
    // JSON leaves U+2028/2029 raw; YAML 1.1 reads them as line breaks.
    return JSON.stringify(s).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** A literal block's lines, or null when a block would not read back as exactly `s`. */
function literal(s: string): { header: string; lines: string[] } | null {
    // Only printable text, no leading space or newline (block indentation is inferred from the
    // first line), no trailing spaces (lost on read), at most one trailing newline.
    if (!s.includes("\n") || /^[\s]/.test(s) || /[ \t]\n|[ \t]$|\n\n$/.test(s) || /[^\x20-\x7e\n\u00a0-\ud7ff\ue000-\ufffd]/.test(s)) {
        return null;
    }
    const body = s.endsWith("\n") ? s.slice(0, -1) : s;
    return { header: s.endsWith("\n") ? "|" : "|-", lines: body.split("\n") };
}

/** The one-line form of a scalar or empty collection; undefined for a collection with members. */
function scalar(v: unknown): string | undefined {
    if (v === null || v === undefined) {
        return "null";
    }
    if (typeof v === "string") {
        return str(v);
    }
    if (typeof v === "number") {
        return Number.isFinite(v) ? String(v) : "null";
    }
    if (typeof v === "boolean") {
        return String(v);
    }
    if (Array.isArray(v)) {
        return v.length === 0 ? "[]" : undefined;
    }
    if (typeof v === "object") {
        return Object.values(v).some((x) => x !== undefined) ? undefined : "{}";
    }
    return JSON.stringify(String(v));
}

/** `lead` then the value: inline, a literal block, or a nested collection on the next lines. */
function entry(lead: string, v: unknown, pad: string): string[] {
    const block = typeof v === "string" ? literal(v) : null;
    if (block) {
        return [`${lead} ${block.header}`, ...block.lines.map((l) => (l ? `${pad}  ${l}` : ""))];
    }
    const inline = scalar(v);
    return inline !== undefined ? [`${lead} ${inline}`] : [lead, ...collection(v, `${pad}  `)];
}

function collection(v: unknown, pad: string): string[] {
    const out: string[] = [];
    if (Array.isArray(v)) {
        for (const item of v) {
            const inline = scalar(item);
            if (inline !== undefined || typeof item === "string") {
                out.push(...entry(`${pad}-`, item, pad));
            } else {
                // A nested collection starts on the dash's line.
                const [first, ...rest] = collection(item, `${pad}  `);
                out.push(`${pad}- ${first.slice(pad.length + 2)}`, ...rest);
            }
        }
        return out;
    }
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x !== undefined) {
            out.push(...entry(`${pad}${str(k)}:`, x, pad));
        }
    }
    return out;
}
