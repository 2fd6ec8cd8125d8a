import { standardProbes } from "./assignment";
import { blueGreenRelease, drainRecreateRelease, rollingRelease } from "./release";
import { K8sServiceCard } from "./types";
import { authoringFailurePolicies } from "./failure-policies";

/**
 * authoring-service — seeds/002 (§1 containers, §2 scaling, §3 resources, §4 storage, §7 mesh, §8
 * release, §10 DR). The document's ranges are prod; staging and dev ranges, the custom-metric
 * queries, pool sizes per pod and the SLO are ours (README).
 */
export const authoringService: K8sServiceCard = {
    service: "authoring-service",
    platform: "eks",
    namespace: "authoring",
    owner: "learning-core/authoring-team",
    criticality: "high",
    imageKey: "authoring-service",
    source: "seeds/002_df1e6c61a8346a19.txt",
    roles: [
        {
            name: "api",
            description: "REST API for drafts, modules, lessons, blocks",
            runtime: "deployment",
            replicas: { dev: { min: 1, max: 2 }, staging: { min: 2, max: 8 }, prod: { min: 3, max: 30 } },
            scaling: [
                { kind: "cpu", targetUtilizationPercent: 60 },
                { kind: "prometheus", metric: "authoring_active_editors", query: 'sum(authoring_active_editors{namespace="authoring"})', threshold: 100, scope: "per-pod" },
            ],
            resources: { cpuRequest: "500m", cpuLimit: "2000m", memoryRequest: "512Mi", memoryLimit: "1.5Gi" },
            nodePool: "core",
            dbPoolPerPod: 5,
            exposure: { port: 8080, protocol: "http", reach: "edge", pathPrefix: "/api/authoring" },
            probes: standardProbes(),
            terminationGracePeriodSeconds: 45,
            release: blueGreenRelease,
        },
        {
            name: "collab",
            description: "WebSocket Yjs awareness server, sticky by draftId",
            runtime: "deployment",
            replicas: { dev: { min: 1, max: 2 }, staging: { min: 2, max: 6 }, prod: { min: 2, max: 20 } },
            scaling: [{ kind: "prometheus", metric: "authoring_collab_ws_connections", query: 'sum(authoring_collab_ws_connections{namespace="authoring"})', threshold: 500, scope: "per-pod" }],
            resources: { cpuRequest: "500m", cpuLimit: "2000m", memoryRequest: "1Gi", memoryLimit: "4Gi" },
            nodePool: "core",
            dbPoolPerPod: 2,
            // Browsers cannot set headers on a WebSocket handshake, and the platform's Envoy Gateway (v1.5)
            // cannot hash a query parameter: the client sets a `draftId` cookie scoped to Path=/collab/<draftId>
            // before connecting, so each draft's handshake carries its own id.
            exposure: { port: 8080, protocol: "websocket", reach: "edge", pathPrefix: "/collab", stickyBy: { source: "cookie", name: "draftId" } },
            probes: standardProbes(),
            // seeds/002 §8: clients are told 5 min before a pod goes; 300 s notice + 30 s to close.
            terminationGracePeriodSeconds: 330,
            release: drainRecreateRelease,
        },
        {
            name: "worker",
            description: "Outbox relay, publish-saga coordinator, SCORM import worker",
            // Relays the outbox: in a passive region it would republish the replicated rows.
            standby: "stopped",
            runtime: "deployment",
            replicas: { dev: { min: 1, max: 2 }, staging: { min: 2, max: 4 }, prod: { min: 2, max: 10 } },
            scaling: [{ kind: "prometheus", metric: "authoring_outbox_backlog", query: 'sum(authoring_outbox_backlog{namespace="authoring"})', threshold: 5000, scope: "backlog" }],
            resources: { cpuRequest: "200m", cpuLimit: "1000m", memoryRequest: "256Mi", memoryLimit: "1Gi" },
            nodePool: "worker",
            dbPoolPerPod: 4,
            probes: standardProbes(),
            terminationGracePeriodSeconds: 60,
            release: rollingRelease,
        },
        {
            name: "ai-worker",
            description: "AI co-author request fan-out (via AIClient)",
            runtime: "deployment",
            replicas: { dev: { min: 1, max: 2 }, staging: { min: 2, max: 4 }, prod: { min: 2, max: 15 } },
            scaling: [{ kind: "prometheus", metric: "authoring_ai_request_queue", query: 'sum(authoring_ai_request_queue{namespace="authoring"})', threshold: 200, scope: "backlog" }],
            resources: { cpuRequest: "300m", cpuLimit: "1500m", memoryRequest: "512Mi", memoryLimit: "2Gi" },
            nodePool: "worker",
            dbPoolPerPod: 2,
            probes: standardProbes(),
            terminationGracePeriodSeconds: 60,
            release: rollingRelease,
        },
    ],
    inbound: [],
    outbound: [
        { kind: "postgres" },
        { kind: "redis" },
        { kind: "nats" },
        { kind: "object-storage" },
        { kind: "service", name: "media-service", namespace: "media", port: 8080 },
        { kind: "service", name: "content-service", namespace: "content", port: 8080 },
        { kind: "service", name: "ai-gateway-service", namespace: "ai-gateway", port: 8080 },
        { kind: "service", name: "catalog-service", namespace: "catalog", port: 8080 },
    ],
    // CDN_SIGNING: the CloudFront base URL, key pair id and private key previews are signed with (components/aws/cdn.ts).
    secrets: ["POSTGRES_URL", "REDIS_URL", "NATS_CREDS", "INTERNAL_SVC_JWT_SIGNING_KEY", "OTEL_EXPORTER_OTLP_ENDPOINT", "AI_GATEWAY_URL", "AI_GATEWAY_TOKEN", "CDN_SIGNING"],
    config: {
        // seeds/002 §5: signed preview URLs live 10 min; CDN caches previews 5 min.
        PREVIEW_URL_TTL_SECONDS: "600",
        CDN_PREVIEW_TTL_SECONDS: "300",
        // seeds/002 §10: draft snapshots hourly; §4: snapshots and SCORM staging kept 90 days.
        DRAFT_SNAPSHOT_INTERVAL: "1h",
        DRAFT_RETENTION_DAYS: "90",
        // seeds/002 §8: collab clients get 5 min notice before a pod drains.
        COLLAB_DRAIN_NOTICE_SECONDS: "300",
        // The transaction-mode pool: RDS Proxy (README: connection pooling), POSTGRES_URL names its endpoint.
        DATABASE_POOLER: "rds-proxy",
        // seeds/002 §6: AI calls fall back to the local model when the regional budget is exhausted.
        AI_FALLBACK: "local-model",
    },
    database: { name: "authoring", readers: { dev: 0, staging: 1, prod: 2 }, reservedConnections: 20, pooled: true },
    // One bucket, two prefixes (snapshots/, scorm-staging/): same owner, same 90-day life (seeds/002 §4).
    buckets: [{ purpose: "drafts", expireAfterDays: 90, coldAfterDays: 0, cdn: true }],
    data: {
        owns: ["authoring-db", "drafts-bucket"],
        publishes: ["authoring.course_version.publish_requested.v1"],
        consumes: ["content.play_package.built.v1", "catalog.course_version.published.v1"],
    },
    slo: { availability: 99.9, p95LatencyMs: 300 },
    alerts: ["authoring-api-error-budget-burn", "authoring-api-latency-budget-burn", "authoring-dependency-failure-rate", "authoring-collab-connection-saturation", "authoring-outbox-backlog", "authoring-ai-queue-depth"],
    runbook: "runbooks/authoring-service.md",
    // Every dependency the documents name, with timeout, retry, breaker and degradation (issue 13).
    failurePolicy: authoringFailurePolicies,
    dr: { rpoMinutes: 5, rtoMinutes: 60 },
};
