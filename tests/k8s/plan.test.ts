import { PlannedStack } from "../../plan/plan";
import { Manifest } from "../../plan/manifests";
import { readStackFile } from "../../plan/engine";
import { nonEmpty, planOf } from "../harness";
import { Node, items, node } from "./tree";

/**
 * The workloads in the real stacks (the AWS platform's handle, not a fixture): seeds/000 §2's
 * inventory in every prod region, wired to what the platform actually provides.
 */

const prodStacks = ["prod-us", "prod-eu", "prod-me", "prod-ap"];

/** Manifests of one namespace, per cluster (one cluster per AWS region). */
function byCluster(planned: PlannedStack, namespace: string): Map<string, Manifest[]> {
    const out = new Map<string, Manifest[]>();
    for (const { cluster, manifest } of planned.manifests) {
        if (manifest.metadata.namespace === namespace) {
            out.set(cluster, [...(out.get(cluster) ?? []), manifest]);
        }
    }
    return out;
}

const names = (ms: Manifest[], kind: string) => ms.filter((m) => m.kind === kind).map((m) => String(m.metadata.name)).sort();
const find = (ms: Manifest[], kind: string, name: string): Node => node(ms.find((m) => m.kind === kind && m.metadata.name === name));

describe.each(prodStacks)("%s: the assignment namespace in every region holds exactly the document's inventory", (stack) => {
    let planned: PlannedStack;
    beforeAll(async () => {
        planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
    });

    it("one assignment namespace per AWS region of the stack (active and passive)", () => {
        const regions = (readStackFile(stack).aws as { regions: unknown[] }).regions.length;
        expect(byCluster(planned, "assignment").size).toBe(regions);
    });

    it("3 Deployments, 1 StatefulSet, the api Service, autoscalers named after the HPAs, PDBs, NetworkPolicies, ServiceMonitor, ConfigMap, ExternalSecret", () => {
        const regionRoles = (readStackFile(stack).aws as { regions: { region: string; role: string }[] }).regions;
        const passives = regionRoles.filter((r) => r.role === "passive").map((r) => r.region);
        const roles = new Map(regionRoles.map((r) => [r.region, r.role]));
        for (const [cluster, ms] of nonEmpty([...byCluster(planned, "assignment")])) {
            const passive = passives.some((r) => cluster.startsWith(`${r}-`));
            // Only where the database has a writer (an active region) do the release's migrations and one-time bootstrap run (issue 12).
            const active = roles.get(cluster.replace(/-eks-k8s$/, "")) === "active";
            expect(names(ms, "Deployment")).toEqual(["assignment-ai-suggest", "assignment-api", "assignment-worker"]);
            expect(names(ms, "StatefulSet")).toEqual(["assignment-scheduler"]);
            // Service/assignment-api (ClusterIP) is rendered by Flagger from the Canary's service block (issue 12).
            expect(find(ms, "Canary", "assignment-api").spec.service).toMatchObject({ name: "assignment-api", port: 8080 });
            const hpas = ms.filter((m) => m.kind === "ScaledObject").map((m) => String(node(m).spec.advanced.horizontalPodAutoscalerConfig.name)).sort();
            expect(hpas).toEqual(["assignment-ai-suggest", "assignment-api", "assignment-worker"]);
            expect(find(ms, "PodDisruptionBudget", "assignment-api").spec.minAvailable).toEqual(2);
            // A passive region holds the worker (the outbox publisher) at zero: no budget over no pods (data/residency.ts).
            expect(names(ms, "PodDisruptionBudget")).toEqual(passive ? ["assignment-api"] : ["assignment-api", "assignment-scheduler", "assignment-worker"]);
            expect(ms.filter((m) => m.kind === "PodDisruptionBudget" && m.metadata.name === "assignment-worker").map((m) => node(m).spec.minAvailable)).toEqual(passive ? [] : [1]);
            expect(names(ms, "NetworkPolicy")).toContain("assignment-default-deny");
            expect(names(ms, "ServiceMonitor")).toEqual(["assignment"]);
            // The config and the card's Grafana dashboard (issue 13).
            expect(names(ms, "ConfigMap")).toEqual(["assignment-config", "assignment-dashboard"]);
            // The AI gateway token awaits operations in every stack file (features.aiGateway off).
            // The one-time database bootstrap's admin credentials sit in their own ExternalSecret (issue 12).
            expect(names(ms, "ExternalSecret")).toEqual([...(active ? ["assignment-db-admin"] : []), "assignment-secrets", "assignment-secrets-awaiting"]);
            expect(names(ms, "Job").map((n) => n.replace(/-[0-9a-f]{10}$/, ""))).toEqual(active ? ["assignment-db-bootstrap", "assignment-migrate"] : []);
        }
    });

    it("authoring and progress run beside it, from their cards", () => {
        for (const [, ms] of nonEmpty([...byCluster(planned, "authoring")])) {
            expect(names(ms, "Deployment")).toEqual(["authoring-ai-worker", "authoring-api", "authoring-collab", "authoring-worker"]);
            // Each edge route's failure policy (issue 13); collab's also carries its sticky hashing.
            expect(names(ms, "BackendTrafficPolicy")).toEqual(["authoring-api", "authoring-collab"]);
        }
        for (const [, ms] of nonEmpty([...byCluster(planned, "progress")])) {
            expect(names(ms, "Deployment")).toEqual(["progress-api", "progress-ingest", "progress-outbox-relay", "progress-projector"]);
            expect(names(ms, "CronJob")).toEqual(["progress-partition-manager"]);
        }
        expect(byCluster(planned, "authoring").size).toBe(byCluster(planned, "assignment").size);
        expect(byCluster(planned, "progress").size).toBe(byCluster(planned, "assignment").size);
    });
});

describe("the workloads use what the platform provides", () => {
    let planned: PlannedStack;
    beforeAll(async () => {
        planned = await planOf("prod-us");
        expect(planned.run.error).toBeNull();
    });

    it("the HTTPRoutes attach to a Gateway the platform creates in the same cluster, and edge ingress is admitted from its namespace", () => {
        const gateways = planned.manifests.filter((p) => p.manifest.kind === "Gateway");
        const routes = planned.manifests.filter((p) => p.manifest.kind === "HTTPRoute");
        expect(routes.length).toBeGreaterThan(0);
        for (const r of routes) {
            const ref = items(node(r.manifest).spec.parentRefs)[0];
            const gw = gateways.find((g) => g.cluster === r.cluster && g.manifest.metadata.name === String(ref.name) && g.manifest.metadata.namespace === String(ref.namespace));
            expect({ route: r.manifest.metadata.name, gateway: gw ? "found" : "missing" }).toEqual({ route: r.manifest.metadata.name, gateway: "found" });
        }
        const gwNamespace = String(gateways[0].manifest.metadata.namespace);
        const ingress = planned.manifests.find((p) => p.manifest.kind === "NetworkPolicy" && p.manifest.metadata.name === "assignment-allow-api-ingress");
        expect(items(node(ingress?.manifest).spec.ingress)[0].from).toEqual([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": gwNamespace } } }]);
    });

    it("pods select node pools that exist (the node groups' labels)", () => {
        const groupLabels = new Set(
            planned.run.resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup").flatMap((r) => Object.entries(node(r.inputs).labels ?? {}).map(([k, v]) => `${k}=${String(v)}`)),
        );
        const selectors = new Set(
            planned.manifests
                .filter((p) => p.manifest.kind === "Deployment" || p.manifest.kind === "StatefulSet")
                .flatMap((p) => Object.entries(node(p.manifest).spec.template.spec.nodeSelector).map(([k, v]) => `${k}=${String(v)}`)),
        );
        expect(selectors.size).toBeGreaterThan(1);
        expect([...selectors].filter((s) => !groupLabels.has(s))).toEqual([]);
    });

    it("service accounts carry an IAM role of the stack's account and the ExternalSecrets name real Secrets Manager entries", () => {
        const account = String((readStackFile("prod-us").aws as { accountId: string }).accountId);
        const sas = planned.manifests.filter((p) => p.manifest.kind === "ServiceAccount" && p.manifest.metadata.namespace === "assignment");
        for (const sa of nonEmpty(sas)) {
            expect(String(node(sa.manifest).metadata.annotations["eks.amazonaws.com/role-arn"])).toMatch(new RegExp(`^arn:aws:iam::${account}:role/`));
        }
        const secretNames = new Set(planned.run.resources.filter((r) => r.type === "aws:secretsmanager/secret:Secret").map((r) => String(node(r.inputs).name)));
        const keys = planned.manifests.filter((p) => p.manifest.kind === "ExternalSecret").flatMap((p) => items(node(p.manifest).spec.data).map((d) => String(d.remoteRef.key)));
        expect(keys.length).toBeGreaterThan(0);
        // The bootstrap reads the cluster's master secret by ARN; an `rds!` one is RDS-managed (RDS creates it with the cluster).
        const nameOf = (k: string) => /^arn:aws:secretsmanager:[^:]+:\d+:secret:(.+)-[A-Za-z0-9]{6}$/.exec(k)?.[1] ?? k;
        expect(keys.filter((k) => !secretNames.has(nameOf(k)) && !nameOf(k).startsWith("rds!cluster-"))).toEqual([]);
    });

    it("the plan reports the workloads' capacity arithmetic (HPA maximums against each database budget)", () => {
        const db = planned.findings.filter((f) => f.ruleId === "capacity/hpa-max-db-budget");
        expect(db.map((f) => [f.severity, f.resource]).sort()).toEqual([
            ["info", "assignment-service-db"],
            ["info", "authoring-service-db"],
            ["info", "progress-service-db"],
        ]);
        // api 24 × 10 (seeds/000 §3, §5); the budget 2000 − 20 = 1980 is ours (README departures): with
        // worker 12 × 5, scheduler 2 × 3 and ai-suggest 4 × 2 at their max, api may reach (1980 − 74) / 10 = 190.
        expect(db.find((f) => f.resource === "assignment-service-db")?.message).toContain("api 24×10 (budget allows 190)");
    });

    it("no Kubernetes policy finding and no mandatory finding about the workloads", () => {
        expect(planned.findings.filter((f) => f.ruleId.startsWith("k8s-"))).toEqual([]);
        expect(planned.findings.filter((f) => f.severity === "mandatory" && /assignment|authoring|progress/.test(f.resource + f.message) && f.ruleId.startsWith("capacity/hpa"))).toEqual([]);
    });
});
