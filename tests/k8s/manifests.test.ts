import { listStacks } from "../../plan/engine";
import { Manifest, manifestsOf } from "../../plan/manifests";
import { planOf } from "../harness";
import { SchemaResult, validateAuthorizationPolicy, validateBackendTrafficPolicy, validatePeerAuthentication, validateWithModels } from "./schema";
import { runStandalone } from "./standalone";
import { validateCanary } from "./canary-schema";

/**
 * Kubernetes validity: every manifest the workloads render validates against the Kubernetes 1.34
 * API schema (kubernetes-models) and the CRDs' published schemas (KEDA, Prometheus Operator,
 * External Secrets, Gateway API); Envoy Gateway's BackendTrafficPolicy against its CRD's fields.
 */

/** Custom resources without a published model package; each must be checked some other way. */
const checkedElsewhere: Readonly<Partial<Record<string, (m: Manifest) => string | null>>> = {
    "gateway.envoyproxy.io/v1alpha1 BackendTrafficPolicy": validateBackendTrafficPolicy,
    "security.istio.io/v1 PeerAuthentication": validatePeerAuthentication,
    "security.istio.io/v1 AuthorizationPolicy": validateAuthorizationPolicy,
    "flagger.app/v1beta1 Canary": validateCanary,
};

/** Per manifest: valid, invalid (with the error) or no-schema (a kind no check covers). */
function verdictsOf(manifests: readonly Manifest[]): SchemaResult[] {
    return validateWithModels(manifests).map((r, i) => {
        if (r.status !== "no-schema") {
            return r;
        }
        const check = checkedElsewhere[`${manifests[i].apiVersion} ${manifests[i].kind}`];
        if (!check) {
            return r;
        }
        const error = check(manifests[i]);
        return error ? { id: r.id, status: "invalid", error } : { id: r.id, status: "valid" };
    });
}

function verdicts(manifests: readonly Manifest[]): { invalid: SchemaResult[]; unchecked: string[]; valid: number } {
    const all = verdictsOf(manifests);
    return {
        invalid: all.filter((r) => r.status === "invalid"),
        unchecked: all.filter((r) => r.status === "no-schema").map((r) => r.id),
        valid: all.filter((r) => r.status === "valid").length,
    };
}

describe("the schema check itself", () => {
    it("rejects a PeerAuthentication with an unknown mode and an AuthorizationPolicy with numeric ports", () => {
        const bad: Manifest[] = [
            { apiVersion: "security.istio.io/v1", kind: "PeerAuthentication", metadata: { name: "default", namespace: "y" }, spec: { mtls: { mode: "REQUIRED" } } },
            { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", metadata: { name: "a", namespace: "y" }, spec: { action: "ALLOW", rules: [{ to: [{ operation: { ports: [8080] } }] }] } },
            { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", metadata: { name: "b", namespace: "y" }, spec: { action: "ALLOW", rules: [{ from: [{ source: { principals: ["cluster.local/ns/x/sa/x"] } }], to: [{ operation: { ports: ["8080"] } }] }] } },
        ];
        const { invalid, valid } = verdicts(bad);
        expect(invalid.map((r) => r.id)).toEqual(["security.istio.io/v1 PeerAuthentication y/default", "security.istio.io/v1 AuthorizationPolicy y/a"]);
        expect(valid).toBe(1);
    });

    it("rejects a malformed Deployment, ScaledObject and BackendTrafficPolicy", () => {
        const bad: Manifest[] = [
            { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" }, spec: { replicas: "two", selector: {}, template: { spec: { containers: [{ image: "a" }] } } } },
            { apiVersion: "keda.sh/v1alpha1", kind: "ScaledObject", metadata: { name: "x" }, spec: { triggers: [{ metadata: {} }] } },
            {
                apiVersion: "gateway.envoyproxy.io/v1alpha1",
                kind: "BackendTrafficPolicy",
                metadata: { name: "x", namespace: "y" },
                // QueryParams hashing does not exist in the pinned Envoy Gateway (v1.5).
                spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "x" }], loadBalancer: { type: "ConsistentHash", consistentHash: { type: "QueryParams", queryParams: [{ name: "draftId" }] } } },
            },
            {
                apiVersion: "gateway.envoyproxy.io/v1alpha1",
                kind: "BackendTrafficPolicy",
                metadata: { name: "z", namespace: "y" },
                spec: { targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "z" }], loadBalancer: { type: "ConsistentHash", consistentHash: { type: "Header" } } },
            },
        ];
        const { invalid } = verdicts(bad);
        expect(invalid.map((r) => r.id)).toEqual(["apps/v1 Deployment /x", "keda.sh/v1alpha1 ScaledObject /x", "gateway.envoyproxy.io/v1alpha1 BackendTrafficPolicy y/x", "gateway.envoyproxy.io/v1alpha1 BackendTrafficPolicy y/z"]);
        expect(invalid[0].error).toMatch(/replicas must be integer/);
    });
});

/** Every manifest to check, by source, validated in one child process (loading the schema packages is the slow part). */
const sources = [...["prod-us", "dev"].map((s) => `standalone ${s}`), ...listStacks().map((s) => `plan ${s}`)];
let results: Map<string, ReturnType<typeof verdicts>>;
let counts: Map<string, number>;

beforeAll(async () => {
    const all: { source: string; manifest: Manifest }[] = [];
    for (const source of sources) {
        const [kind, stack] = source.split(" ");
        if (kind === "standalone") {
            const run = await runStandalone(stack);
            expect(run.error).toBeNull();
            all.push(...manifestsOf(run.resources).map((p) => ({ source, manifest: p.manifest })));
        } else {
            const planned = await planOf(stack);
            expect(planned.run.error).toBeNull();
            all.push(...planned.manifests.map((p) => ({ source, manifest: p.manifest })));
        }
    }
    const verdict = verdictsOf(all.map((x) => x.manifest));
    results = new Map(sources.map((s) => [s, { invalid: [], unchecked: [], valid: 0 }]));
    counts = new Map(sources.map((s) => [s, all.filter((x) => x.source === s).length]));
    verdict.forEach((v, i) => {
        const r = results.get(all[i].source);
        if (!r) {
            return;
        }
        if (v.status === "valid") {
            results.set(all[i].source, { ...r, valid: r.valid + 1 });
        } else if (v.status === "invalid") {
            r.invalid.push(v);
        } else {
            r.unchecked.push(v.id);
        }
    });
});

describe.each(["prod-us", "dev"])("ServiceWorkload manifests (%s) validate", (stack) => {
    it("every manifest of every service against its schema", () => {
        const r = results.get(`standalone ${stack}`);
        expect(counts.get(`standalone ${stack}`)).toBeGreaterThan(50);
        expect(r?.invalid).toEqual([]);
        expect(r?.unchecked).toEqual([]);
        expect(r?.valid).toBe(counts.get(`standalone ${stack}`));
    });
});

describe.each(listStacks())("plan %s: every rendered Kubernetes manifest validates", (stack) => {
    it("against the Kubernetes 1.34 and CRD schemas", () => {
        expect(counts.get(`plan ${stack}`)).toBeGreaterThan(50);
        expect(results.get(`plan ${stack}`)?.invalid).toEqual([]);
    });
});
