import { RegisteredResource, StackRun } from "../../plan/engine";
import {
    disruptionBudgets,
    imageByDigest,
    k8sPolicies,
    networkPolicyCoverage,
    noDefaultServiceAccount,
    noExternalServices,
    nonRootReadOnly,
    probesPresent,
    requestsAndLimits,
    selects,
    zoneSpread,
} from "../../policy/rules/k8s";
import { runPolicies } from "../../policy/runner";
import { fixture } from "../harness";
import { runStandalone } from "./standalone";
import { Node, items, node } from "./tree";

/**
 * Each Kubernetes rule passes on what the workloads render and fails on a resource broken in the
 * one way the rule exists for. Broken cases are real resources with one field changed.
 */

let run: StackRun;
beforeAll(async () => {
    run = await runStandalone("prod-us");
    expect(run.error).toBeNull();
});

const cluster = "k8s-us-east-1";
const inAssignment = () =>
    run.resources.filter((r) => r.provider === cluster && (r.type.startsWith("kubernetes:") ? String(node(r.props).metadata.namespace) === "assignment" : false));

function real(type: string, name: string): RegisteredResource {
    const r = inAssignment().find((x) => x.type === type && String(node(x.props).metadata.name) === name);
    if (!r) {
        throw new Error(`no ${type} ${name}`);
    }
    return r;
}

/** A copy of a real resource with its props changed by `edit`. */
function broken(r: RegisteredResource, edit: (props: Node) => void): RegisteredResource {
    const props = structuredClone(r.props);
    edit(node(props));
    return { ...r, props, inputs: props };
}

const api = () => real("kubernetes:apps/v1:Deployment", "assignment-api");
const podOf = (p: Node): Node => p.spec.template.spec;
const appContainer = (p: Node): Record<string, unknown> => items(podOf(p).containers)[0] as unknown as Record<string, unknown>;

it("the pack passes every rendered object of every service", async () => {
    const all = run.resources.filter((r) => r.provider === cluster || r.type.startsWith("pulumi:"));
    expect(await runPolicies(k8sPolicies, all)).toEqual([]);
});

describe("resource rules", () => {
    it("k8s-requests-limits", async () => {
        expect(await runPolicies([requestsAndLimits], [api()])).toEqual([]);
        const f = await runPolicies([requestsAndLimits], [broken(api(), (p) => delete (appContainer(p).resources as Record<string, unknown>).limits)]);
        expect(f.map((x) => x.message)).toEqual(['Deployment assignment/assignment-api container "app" lacks limits.cpu, limits.memory']);
    });

    it("k8s-probes: all three present, liveness not the readiness endpoint", async () => {
        expect(await runPolicies([probesPresent], [api()])).toEqual([]);
        const missing = await runPolicies([probesPresent], [broken(api(), (p) => delete appContainer(p).livenessProbe)]);
        expect(missing.map((x) => x.message)).toEqual(['Deployment assignment/assignment-api container "app" lacks livenessProbe']);
        const same = await runPolicies([probesPresent], [broken(api(), (p) => (appContainer(p).livenessProbe = appContainer(p).readinessProbe))]);
        expect(same[0].message).toMatch(/liveness probes the readiness endpoint \/health\/ready/);
        // Jobs run to completion: no probes required.
        expect(await runPolicies([probesPresent], [fixture("kubernetes:batch/v1:CronJob", { metadata: { name: "j" }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "a" }] } } } } } })])).toEqual([]);
    });

    it("k8s-image-digest", async () => {
        expect(await runPolicies([imageByDigest], [api()])).toEqual([]);
        const f = await runPolicies([imageByDigest], [broken(api(), (p) => (appContainer(p).image = "registry.example.com/assignment-service:latest"))]);
        expect(f[0].message).toMatch(/"registry.example.com\/assignment-service:latest" is not pinned by digest/);
    });

    it("k8s-zone-spread", async () => {
        expect(await runPolicies([zoneSpread], [api(), real("kubernetes:apps/v1:StatefulSet", "assignment-scheduler")])).toEqual([]);
        const hostOnly = broken(api(), (p) => {
            const tsc = items(podOf(p).topologySpreadConstraints).filter((c) => String(c.topologyKey) !== "topology.kubernetes.io/zone");
            (podOf(p) as unknown as Record<string, unknown>).topologySpreadConstraints = tsc;
        });
        const f = await runPolicies([zoneSpread], [hostOnly]);
        expect(f.map((x) => x.ruleId)).toEqual(["k8s-zone-spread"]);
    });

    it("k8s-non-root-read-only", async () => {
        expect(await runPolicies([nonRootReadOnly], [api()])).toEqual([]);
        const f = await runPolicies(
            [nonRootReadOnly],
            [
                broken(api(), (p) => {
                    const sc = appContainer(p).securityContext as Record<string, unknown>;
                    sc.readOnlyRootFilesystem = false;
                    sc.allowPrivilegeEscalation = true;
                }),
            ],
        );
        expect(f[0].message).toBe('Deployment assignment/assignment-api container "app": readOnlyRootFilesystem is not true, allowPrivilegeEscalation is not false');
        const root = await runPolicies([nonRootReadOnly], [broken(api(), (p) => ((appContainer(p).securityContext as Record<string, unknown>).runAsUser = 0))]);
        expect(root[0].message).toMatch(/runAsUser is 0/);
    });

    it("k8s-no-default-service-account", async () => {
        expect(await runPolicies([noDefaultServiceAccount], [api()])).toEqual([]);
        const f = await runPolicies([noDefaultServiceAccount], [broken(api(), (p) => delete (podOf(p) as unknown as Record<string, unknown>).serviceAccountName)]);
        expect(f[0].message).toBe("Deployment assignment/assignment-api runs on the default service account");
    });

    it("k8s-no-external-service: LoadBalancer/NodePort only in the gateway namespace", async () => {
        const svc = real("kubernetes:core/v1:Service", "assignment-api");
        expect(await runPolicies([noExternalServices], [svc])).toEqual([]);
        const lb = broken(svc, (p) => ((p.spec as unknown as Record<string, unknown>).type = "LoadBalancer"));
        expect((await runPolicies([noExternalServices], [lb]))[0].message).toBe("Service assignment/assignment-api is of type LoadBalancer outside the edge namespace");
        const np = broken(svc, (p) => ((p.spec as unknown as Record<string, unknown>).type = "NodePort"));
        expect(await runPolicies([noExternalServices], [np])).toHaveLength(1);
        const edge = fixture("kubernetes:core/v1:Service", { metadata: { name: "envoy", namespace: "gateway" }, spec: { type: "LoadBalancer" } });
        expect(await runPolicies([noExternalServices], [edge])).toEqual([]);
    });
});

describe("stack rules", () => {
    it("k8s-pdb: every multi-replica workload has a PDB", async () => {
        expect(await runPolicies([disruptionBudgets], inAssignment())).toEqual([]);
        const withoutApiPdb = inAssignment().filter((r) => !(r.type === "kubernetes:policy/v1:PodDisruptionBudget" && String(node(r.props).metadata.name) === "assignment-api"));
        const f = await runPolicies([disruptionBudgets], withoutApiPdb);
        expect(f.map((x) => x.message)).toEqual(["Deployment assignment/assignment-api runs at least 4 replicas but no PodDisruptionBudget selects its pods"]);
    });

    it("k8s-pdb: no budget that forbids every voluntary disruption (minAvailable vs the autoscaler's minimum)", async () => {
        const tooStrict = inAssignment().map((r) =>
            r.type === "kubernetes:policy/v1:PodDisruptionBudget" && String(node(r.props).metadata.name) === "assignment-worker"
                ? broken(r, (p) => ((p.spec as unknown as Record<string, unknown>).minAvailable = 3))
                : r,
        );
        const f = await runPolicies([disruptionBudgets], tooStrict);
        expect(f.map((x) => x.message)).toEqual([
            "PodDisruptionBudget assignment/assignment-worker minAvailable 3 ≥ the 3 replica minimum of Deployment assignment-worker: no voluntary disruption is ever allowed",
        ]);
        const zero = inAssignment().map((r) =>
            r.type === "kubernetes:policy/v1:PodDisruptionBudget" && String(node(r.props).metadata.name) === "assignment-scheduler"
                ? broken(r, (p) => {
                      const spec = p.spec as unknown as Record<string, unknown>;
                      delete spec.minAvailable;
                      spec.maxUnavailable = 0;
                  })
                : r,
        );
        expect((await runPolicies([disruptionBudgets], zero)).map((x) => x.message)).toEqual(["PodDisruptionBudget assignment/assignment-scheduler allows zero disruptions"]);
    });

    it("k8s-network-policy-coverage: every pod selected for ingress and egress", async () => {
        expect(await runPolicies([networkPolicyCoverage], inAssignment())).toEqual([]);
        const noDeny = inAssignment().filter((r) => !(r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && /default-deny|allow-dns|allow-egress/.test(String(node(r.props).metadata.name))));
        const f = await runPolicies([networkPolicyCoverage], noDeny);
        expect(f.map((x) => x.message).sort()).toEqual([
            "Deployment assignment/assignment-ai-suggest: no NetworkPolicy selects its pods for Egress",
            "Deployment assignment/assignment-api: no NetworkPolicy selects its pods for Egress",
            "Deployment assignment/assignment-worker: no NetworkPolicy selects its pods for Egress",
            "StatefulSet assignment/assignment-scheduler: no NetworkPolicy selects its pods for Egress",
        ]);
        // A workload in a namespace with no policy at all is uncovered both ways.
        const stray = fixture("kubernetes:apps/v1:Deployment", { metadata: { name: "stray", namespace: "other" }, spec: { template: { metadata: { labels: { app: "stray" } }, spec: {} } } });
        expect((await runPolicies([networkPolicyCoverage], [stray]))[0].message).toBe("Deployment other/stray: no NetworkPolicy selects its pods for Ingress and Egress");
    });

    it("label selectors: matchLabels and matchExpressions", () => {
        expect(selects({}, { a: "1" })).toBe(true);
        expect(selects({ matchLabels: { a: "1" } }, { a: "2" })).toBe(false);
        expect(selects({ matchExpressions: [{ key: "a", operator: "In", values: ["1", "2"] }] }, { a: "2" })).toBe(true);
        expect(selects({ matchExpressions: [{ key: "a", operator: "DoesNotExist" }] }, { a: "2" })).toBe(false);
    });
});
