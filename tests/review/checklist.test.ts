import { ReviewInput, checklist, evaluateChecklist } from "../../plan/review/checklist";
import { ReviewResource } from "../../plan/review/model";
import { editing, passingFindings, passingGraph, reviewInput, runbooks, shopCard, without } from "./fixtures";

/**
 * The §26 checklist against fixture plans: the passing fixture passes every automated item, and
 * each automated item has a failing case that changes one thing.
 */

function status(id: string, input: ReviewInput): string {
    const item = checklist.find((i) => i.id === id);
    if (!item?.evaluate) {
        throw new Error(`no automated item ${id}`);
    }
    return item.evaluate(input).status;
}

const automated = checklist.filter((i) => i.evaluate !== undefined).map((i) => i.id);

describe("the §26 checklist", () => {
    test("lists every question of the case study's §26, seven sections of four", () => {
        expect(checklist.map((i) => i.id)).toEqual(["1", "2", "3", "4", "5", "6", "7"].flatMap((s) => [1, 2, 3, 4].map((n) => `26.${s}.${n}`)));
        expect(checklist.find((i) => i.id === "26.1.1")?.question).toBe("Does each service have its own service account?");
        expect(checklist.find((i) => i.id === "26.7.4")?.question).toBe("Are emergency levers documented?");
    });

    test("the items not automated carry the reason, and evaluate as not-automatable", () => {
        const manual = evaluateChecklist(reviewInput()).filter((i) => i.status === "not-automatable");
        expect(manual.map((i) => i.id)).toEqual(["26.5.3", "26.5.4", "26.7.3"]);
        for (const i of manual) {
            expect(i.how).toMatch(/^Not automatable: /);
        }
    });

    test.each(automated)("%s passes on the passing fixture plan", (id) => {
        expect(status(id, reviewInput())).toBe("pass");
    });

    const failing: [string, string, () => ReviewInput][] = [
        ["26.1.1", "a role runs as the default service account", () => reviewInput({ resources: editing("shop-worker", (i) => (((i.spec as Rec).template as Rec).spec as Rec).serviceAccountName = "default") })],
        ["26.1.2", "the service account has no IAM role", () => reviewInput({ resources: editing("shop-sa", (i) => ((i.metadata as Rec).annotations = {})) })],
        ["26.1.3", "the edge routes /admin", () => reviewInput({ resources: editing("shop-api-route", (i) => ((((i.spec as Rec).rules as Rec[])[0].matches as Rec[])[0].path = { type: "PathPrefix", value: "/admin" })) })],
        ["26.1.4", "mTLS is permissive", () => reviewInput({ resources: editing("shop-peer", (i) => ((i.spec as Rec).mtls = { mode: "PERMISSIVE" })) })],
        ["26.2.1", "an internal Cloud Run role takes all traffic", () => reviewInput({ resources: editing("mail-mail-worker-service", (i) => (i.ingress = "INGRESS_TRAFFIC_ALL")) })],
        ["26.2.2", "a service Service is a LoadBalancer", () => reviewInput({ resources: editing("shop-api-service", (i) => ((i.spec as Rec).type = "LoadBalancer")) })],
        ["26.2.3", "no default-deny NetworkPolicy", () => reviewInput({ resources: without("shop-deny") })],
        ["26.2.4", "no retry policy covers the route", () => reviewInput({ resources: without("shop-api-btp") })],
        ["26.3.1", "no zone spread", () => reviewInput({ resources: editing("shop-api", (i) => ((((i.spec as Rec).template as Rec).spec as Rec).topologySpreadConstraints = [])) })],
        ["26.3.2", "a PDB as large as the minimum blocks drains", () => reviewInput({ resources: editing("shop-api-pdb", (i) => ((i.spec as Rec).minAvailable = 3)) })],
        ["26.3.3", "liveness probes the readiness endpoint", () => reviewInput({ resources: editing("shop-api", (i) => (((((i.spec as Rec).template as Rec).spec as Rec).containers as Rec[])[0].livenessProbe = { httpGet: { path: "/health/ready" } })) })],
        ["26.3.4", "rollout may take a pod down first", () => reviewInput({ resources: editing("shop-api", (i) => ((i.spec as Rec).strategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } })) })],
        ["26.4.1", "a mandatory capacity finding", () => reviewInput({ findings: [...passingFindings, { ruleId: "capacity/hpa-max-db-budget", severity: "mandatory", resource: "shop-service@us-east-1", message: "2100 of 1980" }] })],
        ["26.4.2", "no connection-budget finding", () => reviewInput({ findings: passingFindings.filter((f) => f.ruleId !== "capacity/db-connection-budget") })],
        ["26.4.3", "the worker scales on CPU", () => reviewInput({ resources: editing("shop-worker-scaler", (i) => ((i.spec as Rec).triggers = [{ type: "cpu", name: "cpu" }])) })],
        ["26.4.4", "the worker shares the api's node pool", () => reviewInput({ resources: editing("shop-worker", (i) => ((((i.spec as Rec).template as Rec).spec as Rec).nodeSelector = { "platform.melmastoon.com/pool": "core" })) })],
        ["26.5.1", "the service's database is not registered", () => reviewInput({ resources: without("mail-pg") })],
        ["26.5.2", "two services resolve to one database cluster", sharedDatabase],
        ["26.6.1", "OTEL_SERVICE_NAME differs from the instance label", () => reviewInput({ resources: editing("shop-api", (i) => (((((i.spec as Rec).template as Rec).spec as Rec).containers as Rec[])[0].env = [{ name: "OTEL_SERVICE_NAME", value: "shop" }])) })],
        ["26.6.2", "the otlp edge has no path", () => reviewInput({ graph: [{ ...passingGraph[0], path: [], problems: ["no egress to the collector"] }] })],
        ["26.6.3", "the ServiceMonitor drops no label", () => reviewInput({ resources: editing("shop-monitor", (i) => ((i.spec as Rec).endpoints = [{ port: "metrics" }])) })],
        ["26.6.4", "no dashboard ConfigMap", () => reviewInput({ resources: without("shop-dashboard") })],
        ["26.7.1", "a dependency without a failure policy", () => ({ ...reviewInput(), cards: reviewInput().cards.map((c) => (c.service === "shop-service" ? { ...c, failurePolicy: c.failurePolicy.slice(0, 1) } : c)) })],
        ["26.7.2", "no PrometheusRule alerts", () => reviewInput({ resources: without("shop-rules") })],
        ["26.7.4", "a runbook without emergency levers", () => reviewInput({ files: { ...runbooks, "docs/runbooks/shop-service.md": "# shop-service\n\n## Alerts\n" } })],
    ];

    test("every automated item has a failing case", () => {
        expect(failing.map(([id]) => id).sort()).toEqual([...automated].sort());
    });

    test.each(failing)("%s fails when %s", (id, _why, input) => {
        const item = checklist.find((i) => i.id === id);
        const result = item?.evaluate?.(input());
        expect(result?.status).toBe("fail");
        expect(result?.evidence.length).toBeGreaterThan(0);
    });

    test("an item with nothing to check is not applicable, not a pass", () => {
        // No Deployment with two or more replicas: no PDB to look for.
        const input = reviewInput({ resources: (rs) => rs.filter((r) => !r.name.endsWith("-scaler") && !r.name.startsWith("shop-api") && r.name !== "shop-worker") });
        expect(status("26.3.2", input)).toBe("not-applicable");
    });
});

type Rec = Record<string, unknown>;

/** A second service, `cart-service`, whose database resource names the same cluster as shop's. */
function sharedDatabase(): ReviewInput {
    const base = reviewInput({
        resources: (rs) => {
            const ns = rs.find((r) => r.name === "shop-namespace") as ReviewResource;
            const db = rs.find((r) => r.name === "us-east-1-shop-service-db-cluster") as ReviewResource;
            return [
                ...rs,
                { ...ns, name: "cart-namespace", inputs: { metadata: { name: "cart", labels: { "app.kubernetes.io/name": "cart-service" } } } },
                { ...db, name: "us-east-1-cart-service-db-cluster" },
            ];
        },
    });
    return { ...base, cards: [...base.cards, { ...shopCard, service: "cart-service", namespace: "cart" }] };
}
