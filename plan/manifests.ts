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
