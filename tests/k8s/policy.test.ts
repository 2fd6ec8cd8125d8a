import { RegisteredResource, StackRun } from "../../plan/engine";
import {
    capabilitiesSeccomp,
    disruptionBudgets,
    hostIsolation,
    imageByDigest,
    k8sPolicies,
    networkPolicyCoverage,
    noDefaultServiceAccount,
    noExternalServices,
    nonRootReadOnly,
    priorityAndInstance,
    probesPresent,
    rbacLeastPrivilege,
    requestsAndLimits,
    selects,
    serviceAccountToken,
    zoneSpread,
} from "../../policy/rules/k8s";
import { runPolicies } from "../../plan/policy-runner";
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

    it("k8s-priority-and-instance: a PriorityClass on every pod, the instance label naming the workload", async () => {
        expect(await runPolicies([priorityAndInstance], [api(), real("kubernetes:apps/v1:StatefulSet", "assignment-scheduler")])).toEqual([]);
        const f = await runPolicies(
            [priorityAndInstance],
            [
                broken(api(), (p) => {
                    delete (podOf(p) as unknown as Record<string, unknown>).priorityClassName;
                    (p.metadata.labels as unknown as Record<string, string>)["app.kubernetes.io/instance"] = "assignment";
                }),
            ],
        );
        expect(f.map((x) => [x.ruleId, x.severity, x.message])).toEqual([
            ["k8s-priority-and-instance", "mandatory", "Deployment assignment/assignment-api: no priorityClassName; its pods would be evicted and preempted as if nothing depended on them"],
            ["k8s-priority-and-instance", "mandatory", 'Deployment assignment/assignment-api: label app.kubernetes.io/instance is "assignment", not its name "assignment-api"'],
        ]);
    });

    it("k8s-no-default-service-account", async () => {
        expect(await runPolicies([noDefaultServiceAccount], [api()])).toEqual([]);
        const f = await runPolicies([noDefaultServiceAccount], [broken(api(), (p) => delete (podOf(p) as unknown as Record<string, unknown>).serviceAccountName)]);
        expect(f[0].message).toBe("Deployment assignment/assignment-api runs on the default service account");
    });

    it("k8s-no-external-service: LoadBalancer/NodePort only in the gateway namespace", async () => {
        // The api's Services are Flagger's (issue 12); the scheduler's governing Service is the program's.
        const svc = real("kubernetes:core/v1:Service", "assignment-scheduler");
        expect(await runPolicies([noExternalServices], [svc])).toEqual([]);
        const lb = broken(svc, (p) => ((p.spec as unknown as Record<string, unknown>).type = "LoadBalancer"));
        expect((await runPolicies([noExternalServices], [lb]))[0].message).toBe("Service assignment/assignment-scheduler is of type LoadBalancer outside the edge namespace");
        const np = broken(svc, (p) => ((p.spec as unknown as Record<string, unknown>).type = "NodePort"));
        expect(await runPolicies([noExternalServices], [np])).toHaveLength(1);
        const edge = fixture("kubernetes:core/v1:Service", { metadata: { name: "envoy", namespace: "gateway" }, spec: { type: "LoadBalancer" } });
        expect(await runPolicies([noExternalServices], [edge])).toEqual([]);
    });
});

describe("host, capability and RBAC rules (what Polaris's danger checks look for)", () => {
    it("k8s-host-isolation: no host namespaces, hostPath, hostPort or unmasked /proc", async () => {
        expect(await runPolicies([hostIsolation], [api(), real("kubernetes:apps/v1:StatefulSet", "assignment-scheduler")])).toEqual([]);
        const f = await runPolicies(
            [hostIsolation],
            [
                broken(api(), (p) => {
                    const pod = podOf(p) as unknown as Record<string, unknown>;
                    pod.hostNetwork = true;
                    pod.hostPID = true;
                    pod.volumes = [...items(pod.volumes), { name: "docker", hostPath: { path: "/var/run/docker.sock" } }];
                    const c = appContainer(p);
                    c.ports = [{ name: "http", containerPort: 8080, hostPort: 8080 }];
                    (c.securityContext as Record<string, unknown>).procMount = "Unmasked";
                }),
            ],
        );
        expect(f.map((x) => x.message)).toEqual([
            'Deployment assignment/assignment-api shares the host: hostNetwork, hostPID, hostPath volume "docker", container "app" hostPort, container "app" procMount Unmasked',
        ]);
        const ipc = await runPolicies([hostIsolation], [broken(api(), (p) => ((podOf(p) as unknown as Record<string, unknown>).hostIPC = true))]);
        expect(ipc.map((x) => x.message)).toEqual(["Deployment assignment/assignment-api shares the host: hostIPC"]);
    });

    it("k8s-capabilities-seccomp: drop ALL, add none, RuntimeDefault seccomp (the pod's counts)", async () => {
        expect(await runPolicies([capabilitiesSeccomp], [api()])).toEqual([]);
        // The pod-level profile covers a container that sets none.
        const podLevel = broken(api(), (p) => delete (appContainer(p).securityContext as Record<string, unknown>).seccompProfile);
        expect(await runPolicies([capabilitiesSeccomp], [podLevel])).toEqual([]);
        const f = await runPolicies(
            [capabilitiesSeccomp],
            [
                broken(api(), (p) => {
                    const sc = appContainer(p).securityContext as Record<string, unknown>;
                    sc.capabilities = { add: ["NET_ADMIN", "SYS_ADMIN"] };
                    sc.seccompProfile = { type: "Unconfined" };
                }),
            ],
        );
        expect(f.map((x) => x.message)).toEqual(['Deployment assignment/assignment-api container "app": does not drop ALL capabilities, adds NET_ADMIN, SYS_ADMIN, seccomp profile Unconfined']);
        const unset = broken(podLevel, (p) => delete ((podOf(p) as unknown as Record<string, unknown>).securityContext as Record<string, unknown>).seccompProfile);
        expect((await runPolicies([capabilitiesSeccomp], [unset])).map((x) => x.message)).toEqual(['Deployment assignment/assignment-api container "app": seccomp profile unset']);
    });

    it("k8s-rbac-least-privilege: no wildcard, no pods/exec or attach, no binding to cluster-admin", async () => {
        const role = real("kubernetes:rbac.authorization.k8s.io/v1:Role", "assignment-scheduler-leader-election");
        const binding = real("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "assignment-scheduler-leader-election");
        expect(await runPolicies([rbacLeastPrivilege], [role, binding])).toEqual([]);
        const wide = broken(role, (p) => ((p as unknown as Record<string, unknown>).rules = [{ apiGroups: [""], resources: ["pods/exec", "pods"], verbs: ["*"] }]));
        expect((await runPolicies([rbacLeastPrivilege], [wide])).map((x) => x.message)).toEqual([
            'Role assignment/assignment-scheduler-leader-election rule 0 grants "*" in verbs',
            "Role assignment/assignment-scheduler-leader-election rule 0 grants pods/exec",
        ]);
        const admin = broken(binding, (p) => ((p as unknown as Record<string, unknown>).roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }));
        expect((await runPolicies([rbacLeastPrivilege], [admin])).map((x) => x.message)).toEqual([
            "RoleBinding assignment/assignment-scheduler-leader-election binds the built-in ClusterRole cluster-admin",
        ]);
    });
});

describe("stack rules", () => {
    it("k8s-service-account-token: only a pod whose account is bound to a role mounts an API token", async () => {
        expect(await runPolicies([serviceAccountToken], inAssignment())).toEqual([]);
        // The scheduler mounts its token for leader election; without the binding it would carry it for nothing.
        const unbound = inAssignment().filter((r) => r.type !== "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
        expect((await runPolicies([serviceAccountToken], unbound)).map((x) => x.message)).toEqual([
            'StatefulSet assignment/assignment-scheduler mounts an API token for service account "assignment-service", which no RoleBinding or ClusterRoleBinding grants anything',
        ]);
        // Kubernetes mounts the token unless the pod or its ServiceAccount says otherwise.
        const pod = (automount?: boolean) =>
            fixture("kubernetes:apps/v1:Deployment", { metadata: { name: "reports", namespace: "other" }, spec: { template: { metadata: { labels: { app: "reports" } }, spec: { serviceAccountName: "reports", automountServiceAccountToken: automount } } } });
        const account = (automount?: boolean) => fixture("kubernetes:core/v1:ServiceAccount", { metadata: { name: "reports", namespace: "other" }, automountServiceAccountToken: automount }, { name: "reports-sa" });
        expect((await runPolicies([serviceAccountToken], [pod(), account()])).map((x) => x.message)).toEqual([
            'Deployment other/reports mounts an API token for service account "reports", which no RoleBinding or ClusterRoleBinding grants anything',
        ]);
        expect(await runPolicies([serviceAccountToken], [pod(false), account()])).toEqual([]);
        expect(await runPolicies([serviceAccountToken], [pod(), account(false)])).toEqual([]);
    });

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
            "Job assignment/assignment-migrate-f43b4fb542: no NetworkPolicy selects its pods for Egress",
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
