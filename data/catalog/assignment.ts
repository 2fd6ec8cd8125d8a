import { HttpProbe, K8sServiceCard, Probes } from "./types";
import { assignmentFailurePolicies } from "./failure-policies";
import { assignmentApiRelease, rollingRelease } from "./release";

/** Probe endpoints of the shared service image: startup/readiness/liveness on the http port. */
export function standardProbes(prefix = "/health"): Probes {
    const probe = (path: string, periodSeconds: number, failureThreshold: number): HttpProbe => ({
        path: `${prefix}/${path}`,
        port: "http",
        periodSeconds,
        failureThreshold,
        timeoutSeconds: 2,
    });
    return {
        // 30 × 5 s: a cold JIT/connection-pool warm-up gets 150 s before liveness may act (case study §7).
        startup: probe("startup", 5, 30),
        readiness: probe("ready", 5, 2),
        // Liveness checks the process only, never a dependency (case study §27.5).
        liveness: probe("live", 10, 3),
    };
}

/**
 * assignment-service — seeds/000 (§1, §2, §5, §6, §7, §9, §12).
 * Pool sizes per pod and the custom-metric thresholds the document leaves open are ours (README).
 */
export const assignmentService: K8sServiceCard = {
    service: "assignment-service",
    platform: "eks",
    namespace: "assignment",
    owner: "learning-core/assignment-team",
    criticality: "critical",
    imageKey: "assignment-service",
    source: "seeds/000_06da1b1bdce84760.txt",
    roles: [
        {
            name: "api",
            description: "Fastify HTTP API",
            runtime: "deployment",
            replicas: { dev: { min: 1, max: 2 }, staging: { min: 3, max: 8 }, prod: { min: 4, max: 24 } },
            scaling: [
                { kind: "cpu", targetUtilizationPercent: 60 },
                {
                    kind: "prometheus",
                    metric: "http_requests_in_flight",
                    query: 'sum(http_requests_in_flight{namespace="assignment",app_kubernetes_io_component="api"})',
                    threshold: 50,
                    // The document names the metric, not a number: 50 in flight per pod is ours.
                    scope: "per-pod",
                },
            ],
            resources: { cpuRequest: "500m", memoryRequest: "512Mi", cpuLimit: "2", memoryLimit: "1Gi" },
            nodePool: "core",
            dbPoolPerPod: 10,
            exposure: { port: 8080, protocol: "http", reach: "edge", pathPrefix: "/api/assignments" },
            probes: standardProbes(),
            terminationGracePeriodSeconds: 45,
            release: assignmentApiRelease,
            pdbMinAvailable: 2,
        },
        {
            name: "worker",
            description: "NATS consumers + outbox publisher",
            // Relays the outbox: in a passive region it would republish the replicated rows.
            standby: "stopped",
            runtime: "deployment",
            replicas: { dev: { min: 1, max: 2 }, staging: { min: 2, max: 6 }, prod: { min: 3, max: 12 } },
            scaling: [{ kind: "nats-jetstream", stream: "ASSIGNMENT", consumer: "assignment-worker", lagThreshold: 1000, scope: "backlog" }],
            resources: { cpuRequest: "500m", memoryRequest: "512Mi", cpuLimit: "2", memoryLimit: "1Gi" },
            nodePool: "worker",
            dbPoolPerPod: 5,
            probes: standardProbes(),
            terminationGracePeriodSeconds: 60,
            release: rollingRelease,
            pdbMinAvailable: 1,
        },
        {
            name: "scheduler",
            description: "Materializer + sweepers + reminder planner (leader-elected)",
            runtime: "statefulset",
            replicas: { dev: { min: 1, max: 1 }, staging: { min: 2, max: 2 }, prod: { min: 2, max: 2 } },
            scaling: [],
            resources: { cpuRequest: "250m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "512Mi" },
            nodePool: "worker",
            dbPoolPerPod: 3,
            probes: standardProbes(),
            terminationGracePeriodSeconds: 60,
            leaderElection: { leaseName: "assignment-scheduler-leader" },
        },
        {
            name: "ai-suggest",
            description: "AI call handler (bulkheaded)",
            runtime: "deployment",
            replicas: { dev: { min: 1, max: 1 }, staging: { min: 1, max: 2 }, prod: { min: 1, max: 4 } },
            scaling: [
                {
                    kind: "prometheus",
                    metric: "ai_suggest_queue",
                    query: 'sum(ai_suggest_queue{namespace="assignment"})',
                    threshold: 10,
                    // "ai_suggest_queue > 10": a queue depth, not per pod.
                    scope: "backlog",
                },
            ],
            resources: { cpuRequest: "250m", memoryRequest: "256Mi", cpuLimit: "1", memoryLimit: "512Mi" },
            nodePool: "worker",
            dbPoolPerPod: 2,
            probes: standardProbes(),
            terminationGracePeriodSeconds: 60,
        },
    ],
    inbound: [],
    outbound: [
        { kind: "postgres" },
        { kind: "redis" },
        { kind: "nats" },
        { kind: "service", name: "ai-gateway-service", namespace: "ai-gateway", port: 8080 },
        // On GCP (Cloud Run behind its internal ALB, port 80 today): reached over the HA VPN, URL as config.
        { kind: "cross-cloud", service: "notification-service", cloud: "gcp", port: 443, protocol: "https", configKey: "NOTIFICATION_SERVICE_URL" },
        { kind: "service", name: "tenant-service", namespace: "tenant", port: 8080 },
        { kind: "service", name: "catalog-service", namespace: "catalog", port: 8080 },
    ],
    secrets: [
        "POSTGRES_URL",
        "REDIS_URL",
        "NATS_CREDS",
        "INTERNAL_SVC_JWT_SIGNING_KEY",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "AI_GATEWAY_URL",
        "AI_GATEWAY_TOKEN",
    ],
    config: {
        RRULE_HORIZON_DAYS: "90",
        MATERIALIZER_BATCH_SIZE: "1000",
        OVERDUE_SWEEP_INTERVAL: "5m",
        CLOSED_MISSED_SWEEP_INTERVAL: "15m",
        REMINDER_BATCH_SIZE: "500",
        // Off in dev: dev loops run without the AI gateway budget; per-tenant control is the flag service (seeds/000 §7).
        FEATURE_AI_SUGGEST: { dev: "off", staging: "on", prod: "on" },
    },
    database: { name: "assignment", readers: { dev: 0, staging: 1, prod: 2 }, reservedConnections: 20 },
    buckets: [],
    data: {
        owns: ["assignment-db"],
        publishes: ["assignment.window.materialized.v1", "assignment.reminder.due.v1"],
        consumes: ["progress.completion.recorded.v1"],
    },
    slo: { availability: 99.9, p95LatencyMs: 300 },
    alerts: ["assignment-api-error-budget-burn", "assignment-api-latency-budget-burn", "assignment-dependency-failure-rate", "assignment-worker-consumer-lag", "assignment-scheduler-no-leader"],
    runbook: "runbooks/assignment-service.md",
    // Every dependency the documents name, with timeout, retry, breaker and degradation (issue 13).
    failurePolicy: assignmentFailurePolicies,
    dr: { rpoMinutes: 5, rtoMinutes: 30 },
};
