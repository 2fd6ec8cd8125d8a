import { PolicyResource } from "@pulumi/policy";
import { obj, providerProp } from "./rules/util";

/**
 * Stack rules that link resources to each other (start-up, service graph) read the registered
 * resources through this index: grouped by type once, with the two questions every link asks —
 * which cluster/namespace (Kubernetes) and which region (the explicit provider's, else the input).
 */
export class TypeIndex<T extends { readonly type: string }> {
    private readonly types = new Map<string, T[]>();

    constructor(readonly resources: readonly T[]) {
        for (const r of resources) {
            const list = this.types.get(r.type);
            if (list) {
                list.push(r);
            } else {
                this.types.set(r.type, [r]);
            }
        }
    }

    of(type: string): readonly T[] {
        return this.types.get(type) ?? [];
    }
}

/** The policy pack's index: CrossGuard's resources by type. */
export class ResourceIndex extends TypeIndex<PolicyResource> {}

/** Region of a cloud resource: its provider's `region`, else its own `region` / `location` input. */
export function regionOf(r: Pick<PolicyResource, "props" | "provider">): string | undefined {
    const p = providerProp(r.provider, "region");
    if (typeof p === "string") {
        return p;
    }
    const own = r.props.region ?? r.props.location;
    return typeof own === "string" ? own : undefined;
}

/** The cluster (explicit Kubernetes provider) of a Kubernetes object. */
export function clusterOf(r: Pick<PolicyResource, "provider">): string {
    return r.provider?.name ?? "default";
}

export function namespaceOf(r: Pick<PolicyResource, "props">): string {
    const ns = obj(r.props.metadata).namespace;
    return typeof ns === "string" ? ns : "default";
}

export function k8sNameOf(r: Pick<PolicyResource, "props">): string | undefined {
    const n = obj(r.props.metadata).name;
    return typeof n === "string" ? n : undefined;
}

/**
 * The AWS region a cluster runs in: the EKS endpoint in its kubeconfig (`….<region>.eks.amazonaws.com`).
 */
export function clusterRegion(index: ResourceIndex, cluster: string): string | undefined {
    const p = index.of("pulumi:providers:kubernetes").find((x) => x.name === cluster);
    const kubeconfig = p?.props.kubeconfig;
    const m = typeof kubeconfig === "string" ? /\.([a-z]{2}(?:-[a-z]+)+-\d)\.eks\.amazonaws\.com/.exec(kubeconfig) : null;
    return m?.[1];
}
