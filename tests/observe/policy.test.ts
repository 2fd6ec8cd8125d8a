import { RegisteredResource } from "../../plan/engine";
import { runPolicies } from "../../plan/policy-runner";
import { cardFailurePolicies, cardProblems, edgeRoutePolicies, monitorCardinalityProblems, observabilityPolicies, scrapeCardinality, sloAlerts } from "../../policy/rules/observability";
import { allPolicies } from "../../policy/rules";
import { fixture, planOf } from "../harness";
import { catalog } from "../../data/catalog";
import { assignmentService } from "../../data/catalog/assignment";

/**
 * The pack's observability rules (policy/rules/observability.ts): each passes on what the prod-us
 * plan registers and fails on a real resource broken in the one way the rule exists for.
 */

let resources: RegisteredResource[];
beforeAll(async () => {
    const planned = await planOf("prod-us");
    expect(planned.run.error).toBeNull();
    resources = planned.run.resources;
});

const real = (type: string, pred: (r: RegisteredResource) => boolean): RegisteredResource => {
    const r = resources.find((x) => x.type === type && pred(x));
    if (!r) {
        throw new Error(`no ${type}`);
    }
    return r;
};
const meta = (r: RegisteredResource): Record<string, unknown> => r.props.metadata as Record<string, unknown>;
const inNs = (ns: string, name: string) => (r: RegisteredResource) => meta(r)?.namespace === ns && meta(r)?.name === name;
function edited(r: RegisteredResource, edit: (props: Record<string, unknown>) => void): RegisteredResource {
    const props = structuredClone(r.props);
    edit(props);
    return { ...r, props, inputs: props };
}
const ids = async (policies: Parameters<typeof runPolicies>[0], rs: RegisteredResource[]) => (await runPolicies(policies, rs)).map((f) => `${f.ruleId}: ${f.message}`);

it("the pack carries the four rules", () => {
    expect(observabilityPolicies.map((p) => p.name)).toEqual(["observability/scrape-cardinality", "observability/slo-alerts", "observability/edge-route-policy", "observability/card-failure-policies"]);
    expect(allPolicies).toEqual(expect.arrayContaining(observabilityPolicies));
});

it("the prod-us plan passes every observability rule", async () => {
    expect(resources.length).toBeGreaterThan(1000);
    expect(await ids(observabilityPolicies, resources)).toEqual([]);
});

describe("observability/scrape-cardinality", () => {
    const SM = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";

    it("passes the assignment ServiceMonitor", async () => {
        expect(await ids([scrapeCardinality], [real(SM, inNs("assignment", "assignment"))])).toEqual([]);
    });

    it("fails one without limits or without the labeldrop", async () => {
        const sm = real(SM, inNs("assignment", "assignment"));
        const noLimits = edited(sm, (p) => {
            const spec = p.spec as Record<string, unknown>;
            delete spec.sampleLimit;
            delete spec.labelLimit;
        });
        const keeps = edited(sm, (p) => {
            ((p.spec as { endpoints: Record<string, unknown>[] }).endpoints[0]).metricRelabelings = [{ action: "labeldrop", regex: "(tenant_id)" }];
        });
        expect(await ids([scrapeCardinality], [noLimits, keeps])).toEqual([
            "observability/scrape-cardinality: ServiceMonitor assignment/assignment sets no sampleLimit",
            "observability/scrape-cardinality: ServiceMonitor assignment/assignment sets no labelLimit",
            "observability/scrape-cardinality: ServiceMonitor assignment/assignment endpoint 0 keeps user_id, draft_id (no labeldrop metricRelabeling)",
        ]);
    });

    it("reads PodMonitors' podMetricsEndpoints", () => {
        expect(monitorCardinalityProblems("PodMonitor", { sampleLimit: 1, labelLimit: 1, podMetricsEndpoints: [{ metricRelabelings: [{ action: "labeldrop", regex: "tenant_id|user_id|draft_id" }] }] })).toEqual([]);
        expect(monitorCardinalityProblems("PodMonitor", { sampleLimit: 1, labelLimit: 1, podMetricsEndpoints: [{}] })).toEqual(["endpoint 0 keeps tenant_id, user_id, draft_id (no labeldrop metricRelabeling)"]);
    });
});

describe("observability/slo-alerts", () => {
    const PR = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
    const NS = "kubernetes:core/v1:Namespace";

    it("passes a service namespace with its rule", async () => {
        const ns = real(NS, (r) => meta(r)?.name === "assignment" && r.provider === "us-east-1-eks-k8s");
        const rule = real(PR, (r) => inNs("assignment", "assignment-slo")(r) && r.provider === "us-east-1-eks-k8s");
        expect(await ids([sloAlerts], [ns, rule])).toEqual([]);
    });

    it("fails a service namespace without burn-rate alerts, and an alert without a runbook section", async () => {
        const ns = real(NS, (r) => meta(r)?.name === "assignment" && r.provider === "us-east-1-eks-k8s");
        const rule = real(PR, (r) => inNs("assignment", "assignment-slo")(r) && r.provider === "us-east-1-eks-k8s");
        const noRunbook = edited(rule, (p) => {
            for (const g of (p.spec as { groups: { rules: Record<string, Record<string, unknown>>[] }[] }).groups) {
                for (const r of g.rules) {
                    if (r.annotations) {
                        r.annotations.runbook_url = "https://wiki.example/assignment";
                    }
                }
            }
        });
        const found = await ids([sloAlerts], [ns, noRunbook]);
        expect(found).toContain("observability/slo-alerts: PrometheusRule assignment/assignment-slo alert AssignmentApiErrorBudgetBurn has no runbook_url to a runbook section");
        expect(await ids([sloAlerts], [ns])).toEqual(["observability/slo-alerts: service namespace assignment: no PrometheusRule with availability and p95 latency burn-rate alerts"]);
    });

    it("fails a Cloud Monitoring alert policy that links no runbook", async () => {
        const policy = real("gcp:monitoring/alertPolicy:AlertPolicy", (r) => String(r.props.displayName).startsWith("notification-api availability budget burn > 14.4x"));
        expect(await ids([sloAlerts], [policy])).toEqual([]);
        const bare = edited(policy, (p) => {
            delete p.documentation;
        });
        expect(await ids([sloAlerts], [bare])).toEqual([`observability/slo-alerts: alert policy ${String(policy.props.displayName)} links no runbook section`]);
    });
});

describe("observability/edge-route-policy", () => {
    // progress-api's route is the one its blue/green Canary writes (issue 12).
    const ROUTE = "kubernetes:flagger.app/v1beta1:Canary";
    const BTP = "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy";
    const onEast = (ns: string, n: string) => (r: RegisteredResource) => inNs(ns, n)(r) && r.provider === "us-east-1-eks-k8s";

    it("passes a route with its policy", async () => {
        expect(await ids([edgeRoutePolicies], [real(ROUTE, onEast("progress", "progress-api")), real(BTP, onEast("progress", "progress-api"))])).toEqual([]);
    });

    it("fails a route without a policy, and one whose gateway retries twice (§14 allows one)", async () => {
        const route = real(ROUTE, onEast("progress", "progress-api"));
        expect(await ids([edgeRoutePolicies], [route])).toEqual(["observability/edge-route-policy: HTTPRoute progress/progress-api (Flagger's): no BackendTrafficPolicy with timeout, retry, circuitBreaker"]);
        const twice = edited(real(BTP, onEast("progress", "progress-api")), (p) => {
            ((p.spec as Record<string, Record<string, unknown>>).retry).numRetries = 2;
        });
        expect(await ids([edgeRoutePolicies], [route, twice])).toEqual(["observability/edge-route-policy: HTTPRoute progress/progress-api (Flagger's): 2 retries at the gateway; at most 1 (case study §14)"]);
    });
});

describe("observability/card-failure-policies", () => {
    it("reports nothing for the catalog", async () => {
        expect(catalog.length).toBe(4);
        expect(cardProblems(catalog)).toEqual([]);
        expect(await ids([cardFailurePolicies], [fixture("kubernetes:core/v1:ConfigMap", { metadata: { name: "x", namespace: "y" } })])).toEqual([]);
    });

    it("fails a card with a dependency without policy, an alert without signal, or no latency burn alert", () => {
        const broken = {
            ...assignmentService,
            failurePolicy: assignmentService.failurePolicy.filter((p) => p.dependency !== "redis"),
            alerts: ["assignment-api-error-budget-burn", "assignment-made-up-alert"],
        };
        expect(cardProblems([broken])).toEqual([
            "assignment-service: dependency redis has no failure policy",
            "assignment-service: alert assignment-made-up-alert has no signal (data/catalog/observability.ts)",
            "assignment-service: no burn-rate alert for each SLO (availability and p95 latency)",
        ]);
    });
});
