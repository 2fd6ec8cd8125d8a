import { PlannedStack } from "../../plan/plan";
import { Manifest } from "../../plan/manifests";
import { RegisteredResource } from "../../plan/engine";
import { planOf } from "../harness";
import { Node, items, node } from "../k8s/tree";
import { validateBackendTrafficPolicy, validateWithModels } from "../k8s/schema";

/**
 * Items 2–5 of issue 13 in the real prod-us plan: the gateway's failure policies per edge route,
 * SLO recording rules and burn-rate alerts as PrometheusRules, the card's named alerts with runbook
 * links, Grafana dashboards, the cardinality guard, and the GCP side's SLOs, alert policies and
 * dashboard. Numbers are the documents': case study §14 (800 ms deadline, one retry), §22 (99.9%,
 * p95 300 ms), seeds/000 §1/§5 (worker 3–12, lag 1000), seeds/002 §2 (outbox 5000, 2–10 workers),
 * seeds/003 §2 (projection lag 10 s), seed 001 §4.4 (5 delivery attempts, DLQ).
 */

let planned: PlannedStack;
beforeAll(async () => {
    planned = await planOf("prod-us");
    expect(planned.run.error).toBeNull();
});

const cluster = "us-east-1-eks-k8s";
function manifest(kind: string, namespace: string, name: string): Node {
    const m = planned.manifests.find((p) => p.cluster === cluster && p.manifest.kind === kind && p.manifest.metadata.namespace === namespace && p.manifest.metadata.name === name);
    if (!m) {
        throw new Error(`no ${kind} ${namespace}/${name} on ${cluster}`);
    }
    return node(m.manifest);
}
const ofKind = (kind: string): Manifest[] => planned.manifests.filter((p) => p.manifest.kind === kind).map((p) => p.manifest);
const byType = (type: string): RegisteredResource[] => planned.run.resources.filter((r) => r.type === type);
const alerts = (rule: Node): Node[] => items(rule.spec.groups).flatMap((g) => items(g.rules)).filter((r) => r.alert !== undefined);
const records = (rule: Node): Node[] => items(rule.spec.groups).flatMap((g) => items(g.rules)).filter((r) => r.record !== undefined);

describe("item 2: failure policies at the gateway, per edge route", () => {
    it("assignment-api: the 800 ms deadline (§14) on the route and the policy, one retry of what never reached a pod", () => {
        // The route is Flagger's (issue 12): the Canary carries the deadline into the HTTPRoute it writes.
        expect(manifest("Canary", "assignment", "assignment-api").spec.service.timeout).toBe("800ms");
        const btp = manifest("BackendTrafficPolicy", "assignment", "assignment-api").spec;
        expect(btp.targetRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "assignment-api" }]);
        expect(btp.timeout.http.requestTimeout).toBe("800ms");
        expect(btp.retry.numRetries).toBe(1);
        expect(btp.retry.retryOn.triggers).toEqual(["connect-failure", "refused-stream"]);
        expect(btp.retry.perRetry.timeout).toBe("800ms");
    });

    it("assignment-api's concurrency cap is seeds/000 §5's 50 in flight per pod × §1's 24 pods; retries capped at its 10% budget", () => {
        const cb = manifest("BackendTrafficPolicy", "assignment", "assignment-api").spec.circuitBreaker;
        expect(cb.maxParallelRequests).toBe(50 * 24);
        expect(cb.maxParallelRetries).toBe(120);
        expect(manifest("BackendTrafficPolicy", "assignment", "assignment-api").spec.healthCheck.passive.maxEjectionPercent).toBe(50);
    });

    it("authoring-collab keeps its draftId hashing and has no request deadline (a WebSocket session)", () => {
        const btp = manifest("BackendTrafficPolicy", "authoring", "authoring-collab").spec;
        expect(btp.loadBalancer).toEqual({ type: "ConsistentHash", consistentHash: { type: "Cookie", cookie: { name: "draftId" } } });
        expect(btp.timeout).toEqual({ tcp: { connectTimeout: "1000ms" } });
        expect(btp.retry.numRetries).toBe(1);
    });

    it("every BackendTrafficPolicy of the stack validates against Envoy Gateway v1.5's fields", () => {
        const btps = ofKind("BackendTrafficPolicy");
        expect(btps.length).toBe(8);
        expect(btps.map((m) => validateBackendTrafficPolicy(m)).filter((e) => e !== null)).toEqual([]);
    });

    it("service-to-service: the client library reads each dependency's numbers from the ConfigMap (ambient without waypoints is L4 only)", () => {
        const cfg = JSON.parse(String(manifest("ConfigMap", "progress", "progress-config").data.FAILURE_POLICIES_JSON)) as Record<string, { timeoutMs: number; retries: number; breakerConsecutiveFailures: number }>;
        expect(Object.keys(cfg)).toEqual(["postgres", "redis", "nats", "object-storage", "analytics-service", "certification-service", "notification-service", "enrollment-service"]);
        expect(Object.values(cfg).every((p) => p.retries <= 1 && p.timeoutMs > 0 && p.breakerConsecutiveFailures > 0)).toBe(true);
    });
});

describe("item 3: SLOs and alerts as PrometheusRules", () => {
    it("one PrometheusRule per service per cluster, labelled for kube-prometheus-stack's rule selector, valid against the operator's schema", () => {
        const rules = ofKind("PrometheusRule");
        // 3 EKS services × 2 clusters (us-east-1, us-west-2).
        expect(rules).toHaveLength(6);
        expect(rules.every((r) => String(node(r).metadata.labels.release) === "kube-prometheus-stack")).toBe(true);
        const results = validateWithModels(rules);
        expect(results.map((r) => r.status)).toEqual(Array(6).fill("valid"));
    });

    it("availability: 99.9% (§22) is a 0.001 budget; four window pairs at 14.4×, 6×, 3×, 1× (two page, two ticket)", () => {
        const burn = alerts(manifest("PrometheusRule", "assignment", "assignment-slo")).filter((a) => String(a.labels.card_alert) === "assignment-api-error-budget-burn");
        expect(burn.map((a) => [a.labels.window, a.labels.severity])).toEqual([
            ["1h/5m", "critical"],
            ["6h/30m", "critical"],
            ["1d/2h", "warning"],
            ["3d/6h", "warning"],
        ]);
        expect(burn[0].expr).toBe(
            'namespace_component:http_server_errors:ratio_rate1h{namespace="assignment"} > (14.4 * 0.001) and namespace_component:http_server_errors:ratio_rate5m{namespace="assignment"} > (14.4 * 0.001)',
        );
    });

    it("p95 latency 300 ms (§22): the share of requests above the 0.3 s bucket, against a 5% budget", () => {
        const rule = manifest("PrometheusRule", "assignment", "assignment-slo");
        const slow5m = records(rule).find((r) => String(r.record) === "namespace_component:http_server_slow:ratio_rate5m");
        expect(String(slow5m?.expr)).toContain('le="0.3"');
        expect(String(slow5m?.expr)).toContain('app_kubernetes_io_component=~"api"');
        const burn = alerts(rule).filter((a) => String(a.labels.card_alert) === "assignment-api-latency-budget-burn");
        expect(burn).toHaveLength(4);
        expect(String(burn[1].expr)).toContain("> (6 * 0.05)");
    });

    // The documents' backlog numbers are whole-queue depths (issue 11): the autoscaler holds the queue under them
    // (components/k8s/scaling.ts), so a queue still past one after the alert's window means max replicas do not keep up.
    it("named alerts from the document's triggers: worker lag past 1000 (seeds/000 §5), projection lag past 10 s (seeds/003 §2), outbox past 5000 (seeds/002 §2)", () => {
        const one = (ns: string, alert: string): Node => {
            const found = alerts(manifest("PrometheusRule", ns, `${ns}-slo`)).filter((a) => String(a.labels.card_alert) === alert);
            expect(found).toHaveLength(1);
            return found[0];
        };
        expect(one("assignment", "assignment-worker-consumer-lag").expr).toBe('max(nats_consumer_num_pending{stream_name="ASSIGNMENT",consumer_name="assignment-worker"}) > 1000');
        expect(one("progress", "progress-projection-lag").expr).toBe('(max(progress_projection_lag_seconds{namespace="progress"})) > 10');
        expect(one("authoring", "authoring-outbox-backlog").expr).toBe('(sum(authoring_outbox_backlog{namespace="authoring"})) > 5000');
        expect(one("assignment", "assignment-scheduler-no-leader").expr).toContain('lease="assignment-scheduler-leader"');
        expect(one("progress", "progress-partition-maintenance-failed").expr).toContain('job_name=~"progress-partition-manager-.*"');
        expect(one("assignment", "assignment-dependency-failure-rate").expr).toContain("> 0.01");
    });

    it("every alert carries runbook_url to its section of docs/runbooks/<service>.md", () => {
        const all = ofKind("PrometheusRule").flatMap((r) => alerts(node(r)));
        expect(all.length).toBeGreaterThan(60);
        const bad = all.filter((a) => !String(a.annotations.runbook_url).endsWith(`/docs/runbooks/${a.labels.service}.md#${a.labels.card_alert}`));
        expect(bad).toEqual([]);
    });
});

describe("item 3, GCP: Cloud Monitoring SLOs and burn-rate policies for notification-service", () => {
    it("availability SLOs at 99.9% (§22) over 30 days for the API and every push consumer, in the active region", () => {
        const slos = byType("gcp:monitoring/slo:Slo").map((r) => node(r.props));
        const avail = slos.filter((s) => s.basicSli.availability !== undefined);
        // api + router + six workers + webhook-correlator + cache-warmer.
        expect(avail).toHaveLength(10);
        expect(avail.every((s) => Number(s.goal) === 0.999 && Number(s.rollingPeriodDays) === 30)).toBe(true);
        const latency = slos.filter((s) => s.basicSli.latency !== undefined);
        expect(latency.map((s) => [s.sloId, s.goal])).toEqual([["api-latency", 0.95]]);
        expect(byType("gcp:monitoring/genericService:GenericService").map((r) => node(r.props).basicService.serviceLabels.location)).toEqual(Array(10).fill("us-east4"));
    });

    it("each SLO has four multi-window burn-rate policies (AND of the long and short window)", () => {
        const burn = byType("gcp:monitoring/alertPolicy:AlertPolicy").map((r) => node(r.props)).filter((p) => String(p.displayName).includes("budget burn"));
        expect(burn).toHaveLength(11 * 4);
        const fast = burn.find((p) => String(p.displayName).startsWith("notification-api availability budget burn > 14.4x"));
        expect(fast?.combiner).toBe("AND");
        expect(items(fast?.conditions).map((c) => [c.conditionThreshold.thresholdValue, c.conditionThreshold.filter])).toEqual([
            [14.4, 'select_slo_burn_rate("projects/melmastoon-prod-us/services/notification-api-us-east4/serviceLevelObjectives/api-availability", "3600s")'],
            [14.4, 'select_slo_burn_rate("projects/melmastoon-prod-us/services/notification-api-us-east4/serviceLevelObjectives/api-availability", "300s")'],
        ]);
    });

    it("the card's named alerts: any dead-lettered message (5 attempts, seed 001 §4.4) and the oldest unacked message; both link their runbook", () => {
        const policies = byType("gcp:monitoring/alertPolicy:AlertPolicy").map((r) => node(r.props));
        const dlq = policies.find((p) => String(p.displayName) === "notification-service: dead-lettered messages");
        expect(String(dlq?.conditions[0].conditionThreshold.filter)).toContain('starts_with("melmastoon.dlq.notif.")');
        expect(dlq?.conditions[0].conditionThreshold.thresholdValue).toBe(0);
        expect(dlq?.documentation.links[0].url).toMatch(/\/docs\/runbooks\/notification-service\.md#notification-dlq-depth$/);
        expect(policies.filter((p) => items(p.documentation.links).length === 0)).toEqual([]);
    });
});

describe("item 4: dashboards as code", () => {
    it("one Grafana dashboard ConfigMap per EKS service per cluster, labelled for the sidecar, with the four rows", () => {
        const dashboards = ofKind("ConfigMap").filter((m) => String(node(m).metadata.labels.grafana_dashboard) === "1");
        expect(dashboards).toHaveLength(6);
        const json = JSON.parse(String(manifest("ConfigMap", "assignment", "assignment-dashboard").data["assignment-service.json"])) as { uid: string; panels: { type: string; title: string }[] };
        expect(json.uid).toBe("assignment-service-overview");
        expect(json.panels.filter((p) => p.type === "row").map((p) => p.title)).toEqual(["Golden signals", "Saturation", "Dependency health", "Autoscaler state"]);
    });

    it("kube-prometheus-stack runs Grafana with the dashboard sidecar, in cluster only and without an admin password", () => {
        const release = planned.run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "us-east-1-addons-kube-prometheus-stack");
        const grafana = node(release?.props).values.grafana;
        expect(grafana.enabled).toBe(true);
        expect(grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" });
        expect(grafana.ingress.enabled).toBe(false);
        expect(grafana.env.GF_SECURITY_DISABLE_INITIAL_ADMIN_CREATION).toBe("true");
    });

    it("one Cloud Monitoring dashboard for the Cloud Run service", () => {
        const d = byType("gcp:monitoring/dashboard:Dashboard");
        expect(d).toHaveLength(1);
        const json = JSON.parse(String(d[0].props.dashboardJson)) as { mosaicLayout: { tiles: { widget: { title: string } }[] } };
        expect(json.mosaicLayout.tiles.map((t) => t.widget.title)).toContain("Instances (autoscaler state)");
    });
});

describe("item 5: cardinality under control", () => {
    it("every ServiceMonitor drops tenant, user and draft ids and bounds samples and labels; valid against the operator's schema", () => {
        const monitors = ofKind("ServiceMonitor");
        // 3 services + flagd, per cluster.
        expect(monitors).toHaveLength(8);
        for (const m of monitors) {
            const spec = node(m).spec;
            expect(spec.sampleLimit).toBe(20000);
            expect(spec.labelLimit).toBe(30);
            const re = new RegExp(`^(?:${String(spec.endpoints[0].metricRelabelings[0].regex)})$`);
            expect(spec.endpoints[0].metricRelabelings[0].action).toBe("labeldrop");
            expect(["tenant_id", "user_id", "draft_id", "draftId"].every((l) => re.test(l))).toBe(true);
            expect(re.test("app_kubernetes_io_component")).toBe(false);
        }
        expect(validateWithModels(monitors).map((r) => r.status)).toEqual(Array(8).fill("valid"));
    });

    it("the collector deletes the same attributes from OTLP metrics before remote-writing them", () => {
        const release = planned.run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name === "us-east-1-addons-otel-collector");
        const config = node(release?.props).values.config;
        expect(config.service.pipelines.metrics.processors).toEqual(["memory_limiter", "attributes/cardinality", "batch"]);
        expect(items(config.processors["attributes/cardinality"].actions).map((a) => a.key)).toEqual(expect.arrayContaining(["tenant_id", "user_id", "draft_id"]));
    });
});

describe("item 2 on Cloud Run: the card's failure policies reach every notification service", () => {
    it("every Cloud Run service carries FAILURE_POLICIES_JSON: at most one retry (§14), none inside a vendor call (seed 001 §4.4: Pub/Sub redelivers), Cloud SQL inside the 800 ms deadline", () => {
        const services = byType("gcp:cloudrunv2/service:Service");
        // seed 001 §3's 13 services plus the peers' internal entry (issue 15).
        expect(services).toHaveLength(14);
        for (const s of services) {
            const envs = ((s.props.template as { containers: { envs: { name: string; value?: string }[] }[] }).containers[0].envs ?? []);
            const raw = envs.find((e) => e.name === "FAILURE_POLICIES_JSON")?.value;
            expect(typeof raw).toBe("string");
            const policies = JSON.parse(String(raw)) as Record<string, { timeoutMs: number; retries: number }>;
            expect(Object.values(policies).every((p) => p.retries <= 1)).toBe(true);
            expect(["sendgrid", "twilio", "meta-whatsapp", "firebase"].map((v) => policies[v].retries)).toEqual([0, 0, 0, 0]);
            expect(policies["cloud-sql"].timeoutMs).toBeLessThan(800);
        }
    });
});
