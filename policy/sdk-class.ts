/**
 * The provider SDK class behind a Pulumi type token, found in the SDK modules the caller loaded
 * (`{ aws, gcp, kubernetes, random }`), or undefined. Used where a decision follows the SDK's own
 * class (which types take tags, the benchmark's replay) instead of a list to maintain.
 * - `aws:rds/cluster:Cluster` → aws.rds.Cluster; `random:index/randomId:RandomId` → random.RandomId
 * - `kubernetes:networking.k8s.io/v1:NetworkPolicy` → kubernetes.networking.v1.NetworkPolicy
 *   (custom resource kinds have no class: undefined)
 */
export function sdkClassOf(roots: Readonly<Record<string, object>>, type: string): unknown {
    const [pkg, mod, cls] = type.split(":");
    const root = roots[pkg];
    if (!root || !mod || !cls) {
        return undefined;
    }
    const path = pkg === "kubernetes" ? [mod.split("/")[0].split(".")[0], mod.split("/")[1]] : mod.startsWith("index/") ? [] : [mod.split("/")[0]];
    let container: unknown = root;
    for (const key of path) {
        container = container && typeof container === "object" ? Reflect.get(container, key) : undefined;
    }
    return container && typeof container === "object" ? Reflect.get(container, cls) : undefined;
}
