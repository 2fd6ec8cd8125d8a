import { RegisteredResource, StackRun, listStacks } from "../../plan/engine";
import { runPolicies } from "../../plan/policy-runner";
import { meshMtls } from "../../policy/rules/k8s";
import { k8sServices } from "../../data/catalog";
import { charts } from "../../components/aws/helm";
import { nonEmpty, planOf } from "../harness";
import { runStandalone } from "./standalone";
import { items, node } from "./tree";

/**
 * The mesh (issue 15; seeds/000 §6 "from peer services via mesh", 002 §7 and 003 §9 "mTLS"): every
 * service namespace is in Istio ambient with STRICT mTLS, and its AuthorizationPolicy admits exactly
 * its card's callers, the edge gateway and Prometheus; the NetworkPolicies stay underneath.
 */

const gateway = "cluster.local/ns/gateway/sa/*";
const prometheus = "cluster.local/ns/monitoring/sa/kube-prometheus-stack-prometheus";
/** Flagger's load tester: each progressive role's analysis traffic (issue 12, data/catalog/release.ts). */
const loadTester = "cluster.local/ns/flagger/sa/flagger-loadtester";
const cluster = "k8s-us-east-1";

let run: StackRun;
beforeAll(async () => {
    run = await runStandalone("prod-us");
    expect(run.error).toBeNull();
});

/** The assignment namespace's objects on one cluster, the Namespace itself included. */
const assignment = (): RegisteredResource[] =>
    run.resources.filter((r) => {
        const m = node(r.props.metadata);
        return r.provider === cluster && r.type.startsWith("kubernetes:") && (String(m.namespace) === "assignment" || (r.type === "kubernetes:core/v1:Namespace" && String(m.name) === "assignment"));
    });
const withSpec = (r: RegisteredResource, spec: Record<string, unknown>): RegisteredResource => ({ ...r, props: { ...r.props, spec } });
const ofType = (rs: RegisteredResource[], kind: string) => rs.filter((r) => r.type === `kubernetes:security.istio.io/v1:${kind}`);

describe("k8s-mesh-mtls: strict mTLS and only the card's callers", () => {
    it("passes on what ServiceWorkload renders for assignment", async () => {
        const rs = assignment();
        expect(ofType(rs, "PeerAuthentication")).toHaveLength(1);
        expect(ofType(rs, "AuthorizationPolicy")).toHaveLength(1);
        expect(await runPolicies([meshMtls], rs)).toEqual([]);
    });

    it("fails on a PERMISSIVE PeerAuthentication (plaintext accepted)", async () => {
        const rs = assignment().map((r) => (r.type.endsWith(":PeerAuthentication") ? withSpec(r, { mtls: { mode: "PERMISSIVE" } }) : r));
        expect((await runPolicies([meshMtls], rs)).map((f) => f.message)).toEqual([
            "namespace assignment: mTLS is not STRICT (a namespace-wide PeerAuthentication with mode STRICT and no weaker one is required)",
        ]);
    });

    it("fails without a PeerAuthentication or without the ambient label", async () => {
        const noPeerAuth = assignment().filter((r) => !r.type.endsWith(":PeerAuthentication"));
        expect((await runPolicies([meshMtls], noPeerAuth)).map((f) => f.message)).toEqual([
            "namespace assignment: mTLS is not STRICT (a namespace-wide PeerAuthentication with mode STRICT and no weaker one is required)",
        ]);
        const unlabelled = assignment().map((r) => {
            if (r.type !== "kubernetes:core/v1:Namespace") {
                return r;
            }
            const metadata = node(r.props.metadata);
            const labels = Object.fromEntries(Object.entries(metadata.labels).filter(([k]) => k !== "istio.io/dataplane-mode"));
            return { ...r, props: { ...r.props, metadata: { ...metadata, labels } } };
        });
        expect((await runPolicies([meshMtls], unlabelled)).map((f) => f.message)).toEqual(["namespace assignment is not in the mesh: label istio.io/dataplane-mode=ambient missing"]);
    });

    it("fails with no AuthorizationPolicy: any meshed identity could call", async () => {
        const rs = assignment().filter((r) => !r.type.endsWith(":AuthorizationPolicy"));
        expect((await runPolicies([meshMtls], rs)).map((f) => f.message)).toEqual(["namespace assignment: no ALLOW AuthorizationPolicy, so any meshed identity may call it"]);
    });

    it("fails on a principal the card does not name, and on a rule with no principals", async () => {
        const extra = assignment().map((r) =>
            r.type.endsWith(":AuthorizationPolicy")
                ? withSpec(r, { action: "ALLOW", rules: [...items(node(r.props.spec).rules), { from: [{ source: { principals: ["cluster.local/ns/progress/sa/progress-service"] } }], to: [{ operation: { ports: ["8080"] } }] }] })
                : r,
        );
        expect((await runPolicies([meshMtls], extra)).map((f) => f.message)).toEqual([
            "namespace assignment: the mesh admits principals the card does not name (cluster.local/ns/progress/sa/progress-service)",
        ]);
        const open = assignment().map((r) => (r.type.endsWith(":AuthorizationPolicy") ? withSpec(r, { action: "ALLOW", rules: [{ to: [{ operation: { ports: ["8080"] } }] }] }) : r));
        expect((await runPolicies([meshMtls], open)).map((f) => f.message)).toEqual([
            "namespace assignment: 1 AuthorizationPolicy rule(s) admit callers without naming their principals",
            `namespace assignment: the mesh admits not the card's callers ${loadTester}, ${gateway}, ${prometheus}`,
        ]);
    });

    it("the AuthorizationPolicy: gateway and the release's load tester on 8080, Prometheus on 9464 (seeds/000 §6), nothing else for assignment", () => {
        const [policy] = nonEmpty(ofType(assignment(), "AuthorizationPolicy"));
        const spec = node(policy.props.spec);
        expect(spec.action).toBe("ALLOW");
        expect(items(spec.rules).map((r) => ({ principals: items(r.from)[0].source.principals, ports: items(r.to)[0].operation.ports }))).toEqual([
            { principals: [gateway], ports: ["8080"] },
            { principals: [loadTester], ports: ["8080"] },
            { principals: [prometheus], ports: ["9464"] },
        ]);
    });
});

describe.each(listStacks())("%s: every service namespace in the mesh", (stack) => {
    it("ambient, STRICT, callers exactly the card's; HBONE and ambient's probe source admitted by NetworkPolicy; no mesh finding", async () => {
        const planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
        expect(planned.findings.filter((f) => f.ruleId === "k8s-mesh-mtls")).toEqual([]);
        const manifests = planned.manifests.map((p) => ({ cluster: p.cluster, m: node(p.manifest) }));
        const namespaces = nonEmpty(manifests.filter(({ m }) => String(m.kind) === "Namespace" && String(m.metadata.labels["app.kubernetes.io/part-of"]) === "learning-platform"));
        // Three EKS services per cluster.
        expect(namespaces.length % k8sServices().length).toBe(0);
        for (const { cluster: c, m: ns } of namespaces) {
            const name = String(ns.metadata.name);
            const card = k8sServices().find((k) => k.namespace === name);
            expect(card).toBeDefined();
            expect(String(ns.metadata.labels["istio.io/dataplane-mode"])).toBe("ambient");
            const here = manifests.filter((x) => x.cluster === c && String(x.m.metadata.namespace) === name).map((x) => x.m);
            const peerAuth = here.filter((m) => String(m.kind) === "PeerAuthentication");
            expect(peerAuth.map((m) => String(m.spec.mtls.mode))).toEqual(["STRICT"]);
            const authz = here.filter((m) => String(m.kind) === "AuthorizationPolicy");
            expect(authz).toHaveLength(1);
            const principals = items(authz[0].spec.rules).flatMap((r) => items(r.from).flatMap((f) => items(f.source.principals).map(String)));
            const callers = (card?.inbound ?? []).map((p) => `cluster.local/ns/${p.namespace}/sa/${p.serviceAccount}`);
            expect([...principals].sort()).toEqual([gateway, prometheus, loadTester, ...callers].sort());
            const hbone = here.find((m) => String(m.kind) === "NetworkPolicy" && String(m.metadata.name).endsWith("-allow-mesh-hbone"));
            expect(items(hbone?.spec.ingress)[0].ports).toEqual([{ protocol: "TCP", port: 15008 }]);
            // HBONE from exactly the namespaces admitted above it: Prometheus's, ztunnel's, the gateway's (every card has an edge role) and the callers'.
            const hboneFrom = items(items(hbone?.spec.ingress)[0].from).map((f) => String(f.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]));
            expect(hboneFrom).toEqual(["monitoring", "istio-system", "gateway", ...[...new Set(callers.map((p) => p.split("/")[2]))].sort()]);
            const probes = here.find((m) => String(m.kind) === "NetworkPolicy" && String(m.metadata.name).endsWith("-allow-kubelet-probes"));
            expect(items(items(probes?.spec.ingress)[0].from)[0].ipBlock.cidr).toBe("169.254.7.127/32");
        }
    });
});

describe("the callers the documents name", () => {
    it("progress's internal REST (seeds/003 §9) admits certification and enrollment by their service accounts; assignment and authoring only the gateway and Prometheus", async () => {
        const planned = await planOf("prod-us");
        expect(planned.run.error).toBeNull();
        const authz = (ns: string) =>
            nonEmpty(planned.manifests.filter((p) => String(p.manifest.kind) === "AuthorizationPolicy" && p.manifest.metadata.namespace === ns)).map((p) =>
                items(node(p.manifest).spec.rules).flatMap((r) => items(r.from).flatMap((f) => items(f.source.principals).map(String))),
            );
        for (const principals of authz("progress")) {
            expect(principals).toEqual([gateway, "cluster.local/ns/certification/sa/certification-service", "cluster.local/ns/enrollment/sa/enrollment-service", loadTester, prometheus]);
        }
        for (const principals of [...authz("assignment"), ...authz("authoring")]) {
            expect(principals).toEqual([gateway, loadTester, prometheus]);
        }
    });
});

describe("Istio from its official charts", () => {
    it("base, istiod, cni and ztunnel 1.28 (Kubernetes 1.29–1.34) in istio-system on every cluster, ambient profile, before the workloads", async () => {
        const planned = await planOf("prod-us");
        expect(planned.run.error).toBeNull();
        const releases = planned.run.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && /-mesh-/.test(r.name));
        // prod-us: two regions (us-east-1 active, us-west-2), four releases each.
        expect(releases).toHaveLength(8);
        for (const r of releases) {
            const inputs = node(r.inputs);
            expect(String(inputs.namespace)).toBe("istio-system");
            expect(String(inputs.version)).toBe("1.28.0");
            expect(String(inputs.repositoryOpts.repo)).toBe("https://istio-release.storage.googleapis.com/charts");
        }
        expect(releases.filter((r) => ["istiod", "cni"].includes(String(node(r.inputs).chart))).map((r) => String(node(r.inputs).values.profile))).toEqual(["ambient", "ambient", "ambient", "ambient"]);
        expect([charts.istioBase.chart, charts.istiod.chart, charts.istioCni.chart, charts.ztunnel.chart]).toEqual(["base", "istiod", "cni", "ztunnel"]);
    });
});
