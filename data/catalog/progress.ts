import { standardProbes } from "./assignment";
import { blueGreenRelease, rollingRelease } from "./release";
import { K8sServiceCard } from "./types";
import { progressFailurePolicies } from "./failure-policies";

/**
 * progress-service — seeds/003 (§1 containers, §2 scaling, §3 resources, §4 storage, §5 caching,
 * §9 mesh, §11 DR). The document's ranges are prod; staging and dev ranges, the outbox-relay and
 * partition-manager resources (the document gives none), metric queries, pool sizes per pod and the
 * SLO are ours (README).
 */
export const progressService: K8sServiceCard = {
    service: "progress-service",
    platform: "eks",
    namespace: "progress",
    owner: "learning-core/progress-team",
    criticality: "high",
    imageKey: "progress-service",
    source: "seeds/003_785afc6f669318f2.txt",
    roles: [
        {
            name: "api",
            description: "xAPI + internal REST",
            runtime: "deployment",
            replicas: { dev: { min: 1, max: 2 }, staging: { min: 3, max: 10 }, prod: { min: 5, max: 50 } },
            scaling: [
                { kind: "cpu", targetUtilizationPercent: 60 },
                {
                    kind: "prometheus",
                    metric: "http_requests_per_second",
                    query: 'sum(rate(http_server_request_duration_seconds_count{namespace="progress",app_kubernetes_io_component="api"}[2m]))',
                    threshold: 500,
                    // "req-rate > 500 rps" has no "/pod": the first scale-up comes at 500 rps in total.
                    scope: "rate",
                },
            ],
            resources: { cpuRequest: "500m", cpuLimit: "2000m", memoryRequest: "512Mi", memoryLimit: "2Gi" },
            nodePool: "core",
            dbPoolPerPod: 4,
            // seeds/003 §12: "progress-api ──▶ Postgres read replicas".
            readsFromReplicas: true,
            // The edge (WAF) admits /xapi/ statements only from allow-listed LRS sources with an API key.
            exposure: { port: 8080, protocol: "http", reach: "edge", pathPrefix: "/xapi" },
            probes: standardProbes(),
            terminationGracePeriodSeconds: 45,
            release: blueGreenRelease,
        },
        {
            name: "ingest",
            description: "High-throughput statement ingest pipeline (NATS consumer)",
            runtime: "deployment",
            replicas: { dev: { min: 1, max: 2 }, staging: { min: 3, max: 20 }, prod: { min: 5, max: 100 } },
            scaling: [{ kind: "nats-jetstream", stream: "PROGRESS_STATEMENTS", consumer: "progress-ingest", lagThreshold: 1000, scope: "backlog" }],
            resources: { cpuRequest: "1000m", cpuLimit: "4000m", memoryRequest: "1Gi", memoryLimit: "4Gi" },
            nodePool: "worker",
            // 100 pods: batched inserts through pgbouncer (transaction mode) need few server connections each.
            dbPoolPerPod: 2,
            probes: standardProbes(),
            terminationGracePeriodSeconds: 60,
            release: rollingRelease,
        },
        {
            name: "projector",
            description: "Attempt + completion projection from statements",
            runtime: "deployment",
            replicas: { dev: { min: 1, max: 2 }, staging: { min: 2, max: 6 }, prod: { min: 3, max: 20 } },
            // "projection lag > 10s": a lag the role works down, not divided by more pods; the first scale-up at 10 s.
            scaling: [{ kind: "prometheus", metric: "progress_projection_lag_seconds", query: 'max(progress_projection_lag_seconds{namespace="progress"})', threshold: 10, scope: "backlog" }],
            resources: { cpuRequest: "500m", cpuLimit: "2000m", memoryRequest: "512Mi", memoryLimit: "2Gi" },
            nodePool: "worker",
            dbPoolPerPod: 4,
            probes: standardProbes(),
            terminationGracePeriodSeconds: 60,
            release: rollingRelease,
        },
        {
            name: "outbox-relay",
            description: "NATS publisher of the outbox",
            // Relays the outbox: in a passive region it would republish the replicated rows.
            standby: "stopped",
            runtime: "deployment",
            replicas: { dev: { min: 1, max: 2 }, staging: { min: 2, max: 4 }, prod: { min: 3, max: 8 } },
            scaling: [{ kind: "prometheus", metric: "progress_outbox_backlog", query: 'sum(progress_outbox_backlog{namespace="progress"})', threshold: 5000, scope: "backlog" }],
            // Not in the document: a relay reads rows and publishes, I/O bound; sized like authoring's worker.
            resources: { cpuRequest: "250m", cpuLimit: "1000m", memoryRequest: "256Mi", memoryLimit: "512Mi" },
            nodePool: "worker",
            dbPoolPerPod: 2,
            probes: standardProbes(),
            terminationGracePeriodSeconds: 60,
        },
        {
            name: "partition-manager",
            description: "pg_partman maintenance: create future monthly partitions, detach expired ones",
            runtime: "cronjob",
            replicas: { dev: { min: 1, max: 1 }, staging: { min: 1, max: 1 }, prod: { min: 1, max: 1 } },
            scaling: [],
            // Not in the document: one short SQL call per run.
            resources: { cpuRequest: "100m", cpuLimit: "500m", memoryRequest: "128Mi", memoryLimit: "256Mi" },
            nodePool: "worker",
            dbPoolPerPod: 1,
            terminationGracePeriodSeconds: 30,
            // Hourly, off the hour: run_maintenance_proc() is idempotent; running often keeps premade partitions ahead.
            schedule: "17 * * * *",
        },
    ],
    // seeds/003 §1: progress-api serves "xAPI + internal REST"; the document names no caller. Ours: its
    // §9 mesh peers that need completions and attempts back, certification and enrollment (other teams'
    // services: their namespace, a service account named after the service).
    inbound: [
        { name: "certification-service", namespace: "certification", port: 8080, serviceAccount: "certification-service" },
        { name: "enrollment-service", namespace: "enrollment", port: 8080, serviceAccount: "enrollment-service" },
    ],
    outbound: [
        { kind: "postgres" },
        { kind: "redis" },
        { kind: "nats" },
        { kind: "object-storage" },
        { kind: "service", name: "analytics-service", namespace: "analytics", port: 8080 },
        { kind: "service", name: "certification-service", namespace: "certification", port: 8080 },
        // On GCP (Cloud Run behind its internal ALB, port 80 today): reached over the HA VPN, URL as config.
        { kind: "cross-cloud", service: "notification-service", cloud: "gcp", port: 443, protocol: "https", configKey: "NOTIFICATION_SERVICE_URL" },
        { kind: "service", name: "enrollment-service", namespace: "enrollment", port: 8080 },
    ],
    // ANALYTICS_FIREHOSE: the regional MSK bootstrap brokers and topics (seed 003 §8, components/aws/msk.ts).
    secrets: ["POSTGRES_URL", "REDIS_URL", "NATS_CREDS", "INTERNAL_SVC_JWT_SIGNING_KEY", "OTEL_EXPORTER_OTLP_ENDPOINT", "ANALYTICS_FIREHOSE"],
    config: {
        // seeds/003 §5: xAPI query cache keyed by tenant + filters hash, 60 s TTL.
        QUERY_CACHE_TTL_SECONDS: "60",
        // The transaction-mode pool: RDS Proxy (README: connection pooling), POSTGRES_URL names its endpoint.
        DATABASE_POOLER: "rds-proxy",
        // seeds/003 §4: monthly + tenant-hash partitions; cold archive (Parquet on S3) after 180 days.
        PARTITION_INTERVAL: "1 month",
        PARTMAN_MAINTENANCE_CALL: "CALL partman.run_maintenance_proc()",
        PARTMAN_PREMAKE: "3",
        PARTMAN_RETENTION: "180 days",
        // Detach, not drop: an expired partition is exported to the cold archive, then dropped by the archiver.
        PARTMAN_RETENTION_KEEP_TABLE: "true",
        COLD_ARCHIVE_AFTER_DAYS: "180",
        COLD_ARCHIVE_FORMAT: "parquet",
    },
    database: { name: "progress", readers: { dev: 0, staging: 1, prod: 2 }, reservedConnections: 20, pooled: true },
    buckets: [{ purpose: "cold-archive", expireAfterDays: 0, coldAfterDays: 180 }],
    data: {
        owns: ["progress-db", "cold-archive-bucket"],
        publishes: ["progress.attempt.recorded.v1", "progress.completion.recorded.v1"],
        consumes: ["delivery.statement.emitted.v1", "assessment.attempt.submitted.v1"],
    },
    slo: { availability: 99.9, p95LatencyMs: 300 },
    alerts: ["progress-api-error-budget-burn", "progress-api-latency-budget-burn", "progress-dependency-failure-rate", "progress-ingest-consumer-lag", "progress-projection-lag", "progress-outbox-backlog", "progress-partition-maintenance-failed"],
    runbook: "runbooks/progress-service.md",
    // Every dependency the documents name, with timeout, retry, breaker and degradation (issue 13).
    failurePolicy: progressFailurePolicies,
    dr: { rpoMinutes: 5, rtoMinutes: 90 },
};
