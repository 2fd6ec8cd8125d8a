import { assignmentService } from "../../data/catalog/assignment";
import { dependencyNames } from "../../data/catalog/failure-policies";
import { notificationService } from "../../data/catalog/notification";
import { CloudRunServiceCard, K8sServiceCard } from "../../data/catalog/types";
import { Finding } from "../../data/findings";
import type { GraphEdge } from "../../policy/graph/graph";
import { ReviewInput } from "../../plan/review/checklist";
import { PlanIndex, ReviewResource } from "../../plan/review/model";
import { fixture } from "../harness";

/**
 * A small plan that passes every automated §26 item: one EKS service (`shop-service`, an api and a
 * worker) in one cluster, one Cloud Run service (`mail-service`, an edge-facing api and an internal
 * worker). Each failing case changes one thing in it.
 */

/** Timeout, retry and breaker of every fixture dependency (data/catalog/types.ts FailurePolicy). */
const fixturePolicy = { timeoutMs: 350, retry: { attempts: 1, idempotentOnly: true, budgetPercent: 50, backoffMs: 100 }, circuitBreaker: { consecutiveFailures: 5, openSeconds: 30, maxConcurrent: 10 } } as const;

export const shopCard: K8sServiceCard = {
    ...assignmentService,
    service: "shop-service",
    namespace: "shop",
    criticality: "critical",
    outbound: [{ kind: "postgres" }, { kind: "redis" }],
    failurePolicy: [
        { dependency: "postgres", behavior: "reject writes with 503", ...fixturePolicy },
        { dependency: "redis", behavior: "read through to postgres", ...fixturePolicy },
    ],
    runbook: "runbooks/shop-service.md",
};

export const mailCard: CloudRunServiceCard = {
    ...notificationService,
    service: "mail-service",
    roles: [
        { ...notificationService.roles[0], name: "mail-api", ingress: "load-balancer" },
        { ...notificationService.roles[0], name: "mail-worker", ingress: "internal" },
    ],
    // One policy per dependency the mail card's roles use, under the names data/catalog/failure-policies.ts gives them.
    failurePolicy: dependencyNames({ ...notificationService, service: "mail-service" }).map((dependency) => ({ dependency, behavior: `degrade ${dependency}`, ...fixturePolicy })),
    runbook: "runbooks/mail-service.md",
};

const cluster = "us-east-1-eks-k8s";
const appLabels = (component: string) => ({ "app.kubernetes.io/name": "shop-service", "app.kubernetes.io/component": component, "app.kubernetes.io/instance": `shop-${component}` });
const k8s = (type: string, name: string, props: Record<string, unknown>) => fixture(type, props, { name, provider: cluster });

function deployment(component: string, pool: string): Record<string, unknown> {
    const probe = (path: string) => ({ httpGet: { path, port: "http" }, periodSeconds: 5 });
    return {
        metadata: { name: `shop-${component}`, namespace: "shop", labels: appLabels(component) },
        spec: {
            selector: { matchLabels: { "app.kubernetes.io/name": "shop-service", "app.kubernetes.io/component": component } },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
            template: {
                metadata: { labels: appLabels(component) },
                spec: {
                    serviceAccountName: "shop-service",
                    nodeSelector: { "platform.melmastoon.com/pool": pool },
                    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" }],
                    containers: [
                        {
                            name: "app",
                            image: "registry.example/shop@sha256:0000000000000000000000000000000000000000000000000000000000000000",
                            env: [{ name: "OTEL_SERVICE_NAME", value: `shop-${component}` }],
                            resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "1Gi" } },
                            startupProbe: probe("/health/startup"),
                            readinessProbe: probe("/health/ready"),
                            livenessProbe: probe("/health/live"),
                        },
                    ],
                },
            },
        },
    };
}

function cloudRun(role: string, ingress: string): ReviewResource {
    return fixture(
        "gcp:cloudrunv2/service:Service",
        {
            name: `mail-${role}`,
            location: "us-east4",
            ingress,
            labels: { role },
            template: {
                serviceAccount: `${role}@project.iam.gserviceaccount.com`,
                scaling: { minInstanceCount: 1, maxInstanceCount: 10 },
                containers: [{ image: "us-docker.pkg.dev/p/mail@sha256:00", startupProbe: { httpGet: { path: "/health" } }, livenessProbe: { httpGet: { path: "/health" } } }],
            },
        },
        { name: `mail-${role}-service`, region: "us-east4" },
    );
}

export function passingResources(): ReviewResource[] {
    return [
        fixture("pulumi:providers:kubernetes", { kubeconfig: '{"server":"https://ABC.gr7.us-east-1.eks.amazonaws.com"}' }, { name: cluster }),
        k8s("kubernetes:core/v1:Namespace", "shop-namespace", { metadata: { name: "shop", labels: { "app.kubernetes.io/name": "shop-service" } } }),
        k8s("kubernetes:core/v1:ServiceAccount", "shop-sa", { metadata: { name: "shop-service", namespace: "shop", annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/us-east-1-shop-service-role" } } }),
        k8s("kubernetes:apps/v1:Deployment", "shop-api", deployment("api", "core")),
        k8s("kubernetes:apps/v1:Deployment", "shop-worker", deployment("worker", "worker")),
        k8s("kubernetes:keda.sh/v1alpha1:ScaledObject", "shop-api-scaler", { metadata: { name: "shop-api", namespace: "shop" }, spec: { scaleTargetRef: { name: "shop-api" }, minReplicaCount: 3, maxReplicaCount: 10, triggers: [{ type: "cpu", name: "cpu" }] } }),
        k8s("kubernetes:keda.sh/v1alpha1:ScaledObject", "shop-worker-scaler", { metadata: { name: "shop-worker", namespace: "shop" }, spec: { scaleTargetRef: { name: "shop-worker" }, minReplicaCount: 2, maxReplicaCount: 6, triggers: [{ type: "nats-jetstream", name: "lag" }] } }),
        k8s("kubernetes:core/v1:Service", "shop-api-service", { metadata: { name: "shop-api", namespace: "shop" }, spec: { type: "ClusterIP", selector: { "app.kubernetes.io/name": "shop-service", "app.kubernetes.io/component": "api" }, ports: [{ port: 8080 }] } }),
        k8s("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "shop-api-route", { metadata: { name: "shop-api", namespace: "shop" }, spec: { parentRefs: [{ name: "edge", namespace: "gateway" }], rules: [{ matches: [{ path: { type: "PathPrefix", value: "/api/shop" } }], backendRefs: [{ name: "shop-api", port: 8080 }], timeouts: { request: "30s" } }] } }),
        k8s("kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy", "shop-api-btp", { metadata: { name: "shop-api", namespace: "shop" }, spec: { targetRefs: [{ kind: "HTTPRoute", name: "shop-api" }], retry: { numRetries: 2 } } }),
        k8s("kubernetes:policy/v1:PodDisruptionBudget", "shop-api-pdb", { metadata: { name: "shop-api", namespace: "shop" }, spec: { minAvailable: 2, selector: { matchLabels: { "app.kubernetes.io/component": "api" } } } }),
        k8s("kubernetes:policy/v1:PodDisruptionBudget", "shop-worker-pdb", { metadata: { name: "shop-worker", namespace: "shop" }, spec: { minAvailable: 1, selector: { matchLabels: { "app.kubernetes.io/component": "worker" } } } }),
        k8s("kubernetes:networking.k8s.io/v1:NetworkPolicy", "shop-deny", { metadata: { name: "shop-default-deny", namespace: "shop" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }),
        k8s("kubernetes:security.istio.io/v1:PeerAuthentication", "shop-peer", { metadata: { name: "default", namespace: "shop" }, spec: { mtls: { mode: "STRICT" } } }),
        k8s("kubernetes:security.istio.io/v1:AuthorizationPolicy", "shop-authz", { metadata: { name: "shop-allow", namespace: "shop" }, spec: { action: "ALLOW" } }),
        k8s("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "shop-monitor", { metadata: { name: "shop", namespace: "shop" }, spec: { sampleLimit: 50000, labelLimit: 30, endpoints: [{ port: "metrics", metricRelabelings: [{ action: "labeldrop", regex: "tenant_id|user_id" }] }] } }),
        k8s("kubernetes:core/v1:ConfigMap", "shop-dashboard", { metadata: { name: "shop-service-dashboard", namespace: "monitoring", labels: { grafana_dashboard: "1" } } }),
        k8s("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "shop-rules", { metadata: { name: "shop-slo", namespace: "shop" }, spec: { groups: [{ name: "slo", rules: [{ alert: "ShopErrorBudgetBurn", expr: "1" }] }] } }),
        fixture("aws:rds/cluster:Cluster", { clusterIdentifier: "shop-service-prod", iamDatabaseAuthenticationEnabled: true, deletionProtection: true }, { name: "us-east-1-shop-service-db-cluster", region: "us-east-1", protect: true }),
        fixture("gcp:sql/databaseInstance:DatabaseInstance", { name: "mail-pg", region: "us-east4", deletionProtection: true }, { name: "mail-pg", region: "us-east4", protect: true }),
        fixture("gcp:monitoring/alertPolicy:AlertPolicy", { displayName: "mail burn rate" }, { name: "mail-alert" }),
        cloudRun("mail-api", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"),
        cloudRun("mail-worker", "INGRESS_TRAFFIC_INTERNAL_ONLY"),
    ];
}

export const passingGraph: GraphEdge[] = [{ from: "shop-service@us-east-1", to: "otlp", protocol: "otlp/grpc tcp:4317", path: ["OTEL_EXPORTER_OTLP_ENDPOINT", "Service platform/otel-collector"], problems: [] }];

export const passingFindings: Finding[] = [
    { ruleId: "capacity/hpa-max-db-budget", severity: "info", resource: "shop-service@us-east-1", message: "api 10 × 10 + worker 6 × 5 = 130 of 1980" },
    { ruleId: "capacity/db-connection-budget", severity: "info", resource: "shop-service-db@us-east-1", message: "connection demand 130 of budget 1980" },
];

export const runbooks: Record<string, string> = {
    "docs/runbooks/shop-service.md": "# shop-service\n\n## Emergency levers\n\n- scale the worker to 0\n",
    "docs/runbooks/mail-service.md": "# mail-service\n\n## Emergency levers\n\n- pause the push subscriptions\n",
};

/** The passing input, with `change` applied to a fresh copy of the resources (by logical name). */
export function reviewInput(change: { resources?: (rs: ReviewResource[]) => ReviewResource[]; graph?: GraphEdge[]; findings?: Finding[]; files?: Record<string, string> } = {}): ReviewInput {
    const resources = (change.resources ?? ((rs) => rs))(passingResources());
    const files = change.files ?? runbooks;
    return {
        stack: "fixture",
        index: new PlanIndex(resources),
        graph: change.graph ?? passingGraph,
        findings: change.findings ?? passingFindings,
        cards: [shopCard, mailCard],
        readFile: (p) => files[p],
    };
}

/** Replaces the inputs of the resource named `name` (a deep copy changed by `edit`). */
export function editing(name: string, edit: (inputs: Record<string, unknown>) => void): (rs: ReviewResource[]) => ReviewResource[] {
    return (rs) => {
        const found = rs.find((r) => r.name === name);
        if (!found) {
            throw new Error(`no fixture resource ${name}`);
        }
        return rs.map((r) => {
            if (r.name !== name) {
                return r;
            }
            const inputs = JSON.parse(JSON.stringify(r.inputs)) as Record<string, unknown>;
            edit(inputs);
            return { ...r, inputs };
        });
    };
}

export const without = (name: string) => (rs: ReviewResource[]) => {
    if (!rs.some((r) => r.name === name)) {
        throw new Error(`no fixture resource ${name}`);
    }
    return rs.filter((r) => r.name !== name);
};
