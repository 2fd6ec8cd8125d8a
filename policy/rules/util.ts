import { ResourceValidationArgs } from "@pulumi/policy";

/**
 * Small readers over CrossGuard's resource arguments, shared by the rule files. They look only at
 * `props`, `type` and the provider's `props`, which the engine and the offline runner both supply.
 */

type Props = Record<string, unknown>;

export function obj(v: unknown): Props {
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Props) : {};
}

/** Provider inputs arrive JSON-encoded (the SDK serialises a provider's object inputs); decode them. */
export function providerProp(provider: { props: Record<string, unknown> } | undefined, key: string): unknown {
    const v = provider?.props[key];
    if (typeof v === "string" && (v.startsWith("{") || v.startsWith("["))) {
        try {
            return JSON.parse(v);
        } catch {
            return v;
        }
    }
    return v;
}

export function arr(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

/** Tags (AWS), labels (GCP) or metadata labels (Kubernetes) merged with the provider's defaults. */
export function effectiveTags(args: Pick<ResourceValidationArgs, "type" | "props" | "provider">): Record<string, string> {
    const p = args.props;
    const merged: Record<string, unknown> = {};
    if (args.type.startsWith("aws:")) {
        Object.assign(merged, obj(obj(providerProp(args.provider, "defaultTags")).tags), obj(p.tags));
    } else if (args.type.startsWith("gcp:")) {
        Object.assign(merged, obj(providerProp(args.provider, "defaultLabels")), obj(p.labels), obj(p.userLabels), obj(p.resourceLabels));
    } else if (args.type.startsWith("kubernetes:")) {
        Object.assign(merged, obj(obj(p.metadata).labels));
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(merged)) {
        if (typeof v === "string") {
            out[k] = v;
        }
    }
    return out;
}

/** The environment a resource belongs to, from its tags or its provider's defaults. */
export function environmentOf(args: Pick<ResourceValidationArgs, "type" | "props" | "provider">): string | undefined {
    return effectiveTags(args).environment;
}

/** Staging and prod keep their state: the protection rules apply there. */
export function isProtectedEnvironment(args: Pick<ResourceValidationArgs, "type" | "props" | "provider">): boolean {
    const env = environmentOf(args);
    return env === "staging" || env === "prod";
}
