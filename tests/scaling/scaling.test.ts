import { PlannedStack } from "../../plan/plan";
import { Manifest } from "../../plan/manifests";
import { catalog, k8sServices } from "../../data/catalog";
import { K8sRole, ScalingTrigger } from "../../data/catalog/types";
import { resolveReplicas } from "../../data/replicas";
import { dbClients } from "../../capacity/aws";
import { RenderedTarget, firstScaleUpAt, renderedTarget, scalingProblems } from "../../components/k8s/scaling";
import { validateServiceWorkload } from "../../components/k8s/validation";
import { databaseEnv } from "../../components/k8s/pod";
import { nonEmpty, planOf } from "../harness";
import { Node, items, node } from "../k8s/tree";

/**
 * Scaling on the documents' numbers (issue 11 item 6) and the app's pool = the budget's pool.
 * A backlog trigger ("pending > 1000") is a queue depth: the first replica above the minimum must
 * come when the depth reaches the document's number, whatever the minimum is. "/pod" triggers are
 * per replica. The HPA model (components/k8s/scaling.ts) is checked against the rendered objects.
 */

/** The documents' backlog, lag and rate triggers, as the documents state them (total, not per pod). */
const documentTotals: readonly { readonly workload: string; readonly namespace: string; readonly metric: string; readonly number: number; readonly source: string }[] = [
    { workload: "assignment-worker", namespace: "assignment", metric: "nats-jetstream", number: 1000, source: "seeds/000 §5: nats_consumer_pending > 1000" },
    { workload: "assignment-ai-suggest", namespace: "assignment", metric: "ai-suggest-queue", number: 10, source: "seeds/000 §5: ai_suggest_queue > 10" },
    { workload: "authoring-worker", namespace: "authoring", metric: "authoring-outbox-backlog", number: 5000, source: "seeds/002 §2: outbox backlog > 5000" },
    { workload: "authoring-ai-worker", namespace: "authoring", metric: "authoring-ai-request-queue", number: 200, source: "seeds/002 §2: AI request queue > 200" },
    { workload: "progress-ingest", namespace: "progress", metric: "nats-jetstream", number: 1000, source: "seeds/003 §2: queue depth > 1000" },
    { workload: "progress-projector", namespace: "progress", metric: "progress-projection-lag-seconds", number: 10, source: "seeds/003 §2: projection lag > 10s" },
    { workload: "progress-outbox-relay", namespace: "progress", metric: "progress-outbox-backlog", number: 5000, source: "seeds/003 §2: outbox backlog > 5000" },
    { workload: "progress-api", namespace: "progress", metric: "http-requests-per-second", number: 500, source: "seeds/003 §2: req-rate > 500 rps" },
];

/** The documents' "/pod" triggers: per replica is what they say. */
const documentPerPod = [
    { workload: "authoring-api", namespace: "authoring", metric: "authoring-active-editors", number: 100, source: "seeds/002 §2: active-editors > 100/pod" },
    { workload: "authoring-collab", namespace: "authoring", metric: "authoring-collab-ws-connections", number: 500, source: "seeds/002 §2: active WS connections > 500/pod" },
] as const;

/** The rendered KEDA trigger as the HPA sees it: metric type and target. */
function rendered(trigger: Node): RenderedTarget {
    const target = Number(trigger.metadata.threshold ?? trigger.metadata.lagThreshold);
    const metricType = String(trigger.metricType);
    expect(["Value", "AverageValue"]).toContain(metricType);
    return { metricType: metricType === "Value" ? "Value" : "AverageValue", target };
}

/** The first whole metric value at which the HPA adds a replica above the minimum. */
const firstWholeValue = (r: RenderedTarget, min: number) => Math.floor(firstScaleUpAt(r, min)) + 1;

const manifestsOf = (planned: PlannedStack, kind: string, namespace: string): Manifest[] => planned.manifests.map((m) => m.manifest).filter((m) => m.kind === kind && m.metadata.namespace === namespace);

describe("the HPA model: why a per-replica target starts late", () => {
    const worker: Extract<ScalingTrigger, { kind: "nats-jetstream" }> = { kind: "nats-jetstream", stream: "ASSIGNMENT", consumer: "assignment-worker", lagThreshold: 1000, scope: "backlog" };

    it("fails the document: lagThreshold 1000 as AverageValue with 3 workers first scales past 3300 pending (3 × 1000 × the 10 % tolerance)", () => {
        expect(firstScaleUpAt({ metricType: "AverageValue", target: 1000 }, 3)).toBeCloseTo(3300, 6);
    });

    it("passes it: a backlog renders as Value with 1000 / 1.1, so the first scale-up comes at 1000 pending with 3, 5 or 12 workers", () => {
        const r = renderedTarget(worker, 3);
        expect(r).toEqual({ metricType: "Value", target: 909 });
        for (const min of [1, 3, 5, 12]) {
            expect(firstWholeValue(renderedTarget(worker, min), min)).toBe(1000);
        }
    });

    it("a rate renders per replica divided by the minimum: 500 rps in total at 5, 3 or 1 replicas", () => {
        const rps: ScalingTrigger = { kind: "prometheus", metric: "rps", query: "sum(rate(x[2m]))", threshold: 500, scope: "rate" };
        for (const min of [5, 3, 1]) {
            const r = renderedTarget(rps, min);
            expect(r.metricType).toBe("AverageValue");
            expect(firstWholeValue(r, min)).toBe(500);
        }
    });

    it("a /pod number stays the per-replica target", () => {
        const editors: ScalingTrigger = { kind: "prometheus", metric: "editors", query: "sum(editors)", threshold: 100, scope: "per-pod" };
        expect(renderedTarget(editors, 3)).toEqual({ metricType: "AverageValue", target: 100 });
    });
});

describe("scalingProblems: a backlog or rate trigger needs a running replica", () => {
    const role = (scaling: ScalingTrigger[]): K8sRole => ({
        name: "worker",
        description: "test",
        runtime: "deployment",
        replicas: { dev: { min: 0, max: 2 }, staging: { min: 0, max: 2 }, prod: { min: 0, max: 2 } },
        scaling,
        resources: { cpuRequest: "100m", cpuLimit: "1", memoryRequest: "128Mi", memoryLimit: "256Mi" },
        nodePool: "worker",
        dbPoolPerPod: 0,
        terminationGracePeriodSeconds: 30,
    });
    const backlog: ScalingTrigger = { kind: "prometheus", metric: "q", query: "sum(q)", threshold: 200, scope: "backlog" };

    it("fails a backlog trigger at minReplicas 0 (KEDA's activation, not the document's number, would decide)", () => {
        expect(scalingProblems("svc/worker", role([backlog]), { min: 0, max: 2 })).toEqual(["svc/worker: a backlog trigger needs minReplicas ≥ 1 (has 0)"]);
    });

    it("passes it at minReplicas 1, and a per-pod trigger at 0", () => {
        expect(scalingProblems("svc/worker", role([backlog]), { min: 1, max: 2 })).toEqual([]);
        expect(scalingProblems("svc/worker", role([{ ...backlog, scope: "per-pod" }]), { min: 0, max: 2 })).toEqual([]);
    });
});

describe("a role that reads from the replicas needs the reader endpoint", () => {
    const progress = k8sServices(catalog).find((c) => c.service === "progress-service");
    const input = (hasDatabaseReadUrl: boolean) => {
        if (!progress) {
            throw new Error("no progress-service card");
        }
        return {
            card: progress,
            replicas: resolveReplicas(catalog, "prod", {}),
            image: `registry/progress@sha256:${"a".repeat(64)}`,
            bindings: { "progress-service": { secretKeys: [...progress.secrets], serviceAccountName: "progress-service", namespace: "progress", hasDatabaseReadUrl } },
        };
    };

    it("fails progress-api without a reader endpoint in the binding", () => {
        expect(validateServiceWorkload(input(false))).toEqual(["progress-service/api: reads from the database's replicas, but the platform gives no reader endpoint (POSTGRES_READ_URL)"]);
    });

    it("passes with one", () => {
        expect(validateServiceWorkload(input(true))).toEqual([]);
    });
});

describe("the pool the budget counts is the pool the pod gets", () => {
    const progress = k8sServices(catalog).find((c) => c.service === "progress-service");
    const roleOf = (name: string) => {
        const role = progress?.roles.find((r) => r.name === name);
        if (!progress || !role) {
            throw new Error(`no progress-service/${name}`);
        }
        return { card: progress, role };
    };

    it("a database role's pod gets DB_POOL_SIZE = dbPoolPerPod; the replica reader also gets the reader URL", () => {
        const { card, role } = roleOf("api");
        expect(databaseEnv(card, role, "postgresql://reader")).toEqual([
            { name: "DB_POOL_SIZE", value: String(role.dbPoolPerPod) },
            { name: "POSTGRES_READ_URL", value: "postgresql://reader" },
        ]);
        const ingest = roleOf("ingest");
        expect(databaseEnv(ingest.card, ingest.role, "postgresql://reader")).toEqual([{ name: "DB_POOL_SIZE", value: String(ingest.role.dbPoolPerPod) }]);
    });

    it("fails a role that budgets a pool in a service without a database, passes the catalog's", () => {
        const { card } = roleOf("api");
        const input = (database: typeof card.database) => ({
            card: { ...card, database, roles: card.roles.map((r) => ({ ...r, readsFromReplicas: undefined })) },
            replicas: resolveReplicas(catalog, "prod", {}),
            image: `registry/progress@sha256:${"a".repeat(64)}`,
            bindings: { "progress-service": { secretKeys: [...card.secrets], serviceAccountName: "progress-service", namespace: "progress", hasDatabaseReadUrl: true } },
        });
        expect(validateServiceWorkload(input(undefined))).toEqual(
            card.roles.map((r) => `progress-service/${r.name}: a database pool of ${r.dbPoolPerPod} without a database`),
        );
        expect(validateServiceWorkload(input(card.database))).toEqual([]);
    });
});

describe.each(["prod-us", "prod-eu"])("%s: triggers, pools and the reader endpoint on the documents' numbers", (stack) => {
    let planned: PlannedStack;
    beforeAll(async () => {
        planned = await planOf(stack);
        expect(planned.run.error).toBeNull();
    });

    const scaledObject = (namespace: string, workload: string): Node[] => nonEmpty(manifestsOf(planned, "ScaledObject", namespace).filter((m) => m.metadata.name === workload)).map(node);

    it.each(documentTotals)("$workload: the first extra replica comes at the document's $number ($source)", ({ workload, namespace, metric, number }) => {
        for (const so of scaledObject(namespace, workload)) {
            const min = Number(so.spec.minReplicaCount);
            expect(min).toBeGreaterThanOrEqual(1);
            const trigger = items(so.spec.triggers).find((t) => String(t.type) === metric || String(t.name) === metric);
            expect(trigger).toBeDefined();
            expect(firstWholeValue(rendered(node(trigger)), min)).toBe(number);
        }
    });

    it.each(documentPerPod)("$workload: $number per replica, as the document says ($source)", ({ workload, namespace, metric, number }) => {
        for (const so of scaledObject(namespace, workload)) {
            const trigger = node(items(so.spec.triggers).find((t) => String(t.name) === metric));
            expect(rendered(trigger)).toEqual({ metricType: "AverageValue", target: number });
        }
    });

    it("every pod of a database-using role gets DB_POOL_SIZE = the pool the capacity budget sums for it", () => {
        const replicas = resolveReplicas(catalog, "prod", {});
        let checked = 0;
        for (const card of nonEmpty(k8sServices(catalog).filter((c) => c.database))) {
            const budget = new Map(dbClients(card, replicas, "prod").map((c) => [c.name.split("/")[1], c.poolPerReplica]));
            for (const kind of ["Deployment", "StatefulSet", "CronJob"]) {
                for (const m of manifestsOf(planned, kind, card.namespace)) {
                    const w = node(m);
                    const spec = kind === "CronJob" ? w.spec.jobTemplate.spec.template.spec : w.spec.template.spec;
                    const env = items(items(spec.containers)[0].env);
                    const role = String(env.find((e) => String(e.name) === "APP_ROLE")?.value);
                    expect(budget.has(role)).toBe(true);
                    expect(env.find((e) => String(e.name) === "DB_POOL_SIZE")?.value).toBe(String(budget.get(role)));
                    checked++;
                }
            }
        }
        // assignment 4 + authoring 4 + progress 5 workloads per region.
        expect(checked).toBe(13 * 2);
    });

    it("progress-api, and only it, reads from the region's Aurora reader endpoint (seeds/003 §12), with the writer's URL form", () => {
        const withReader: string[] = [];
        for (const m of nonEmpty(manifestsOf(planned, "Deployment", "progress"))) {
            const env = items(items(node(m).spec.template.spec.containers)[0].env);
            const url = env.find((e) => String(e.name) === "POSTGRES_READ_URL")?.value;
            if (url !== undefined) {
                withReader.push(String(m.metadata.name));
                expect(String(url)).toMatch(/^postgresql:\/\/progress_service@progress-service-prod\.cluster-ro-[0-9a-f]+\.[a-z]+-[a-z]+-\d\.rds\.amazonaws\.com:5432\/progress\?sslmode=verify-full$/);
            }
        }
        expect(withReader).toEqual(["progress-api", "progress-api"]);
    });
});
