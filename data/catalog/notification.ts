import { CloudRunRole, CloudRunServiceCard, PerEnv, ReplicaRange } from "./types";
import { notificationFailurePolicies } from "./failure-policies";

/**
 * notification-service — seeds/001 (§2, §3, §4, §6, §7, §8). The document's thirteen Cloud Run services plus
 * `api-internal`, the peers' entry with IAM invocation on (issue 15).
 *
 * Prod instance bounds are the document's table. Dev and staging run every non-API service at min 0
 * (seed 001 §9); their maxima are ours. Decisions the document leaves open (README):
 * - Database pool per instance is 1 for every DB client: Σ prod max instances = 664 (654 + api-internal's 10) against
 *   PgBouncer's 800 client connections, so a pool of 2 anywhere large (the API: +200) breaks it.
 * - The API's concurrency is 600, not 80: WebSockets count against Cloud Run concurrency, and 100 000
 *   connections (§7) over 200 instances need ≥ 500 per instance (capacity/gcp.ts reports it).
 * - cpu/memory per service are ours (the document gives none).
 */

const prodOnly = (min: number, max: number, devMax: number, stagingMax: number): PerEnv<ReplicaRange> => ({
    dev: { min: 0, max: devMax },
    staging: { min: 0, max: stagingMax },
    prod: { min, max },
});

const worker = (
    channel: string,
    prod: ReplicaRange,
    extra: Partial<CloudRunRole> = {},
): CloudRunRole => ({
    name: `worker-${channel}`,
    description: `Dispatches ${channel} sends to the channel's vendors`,
    instances: prodOnly(prod.min, prod.max, 2, 8),
    concurrency: 50,
    timeoutSeconds: 540,
    cpu: "1",
    memory: "1Gi",
    startupCpuBoost: false,
    ingress: "internal",
    sessionAffinity: false,
    dbPoolPerInstance: 1,
    secrets: ["db-app-password", "redis-auth", `vendor-${channel}`],
    publishes: ["status"],
    consumes: [`dispatch-${channel}`],
    vendorEgress: channel !== "inapp",
    ...extra,
});

const subjectOf = (key: string) => `melmastoon.notification.${key.replace(/-/g, ".")}.v1`;

export const notificationService: CloudRunServiceCard = {
    service: "notification-service",
    platform: "cloud-run",
    owner: "engagement/notification-team",
    criticality: "high",
    imageKey: "notification-service",
    source: "seeds/001_8e65071d663da085.txt",
    healthPath: "/api/v1/internal/health",
    containerPort: 8080,
    // §4.1; created by the migration job (components/gcp/migration.ts) before the schema migrations.
    postgresExtensions: ["pg_partman", "pgcrypto", "pg_stat_statements", "uuid-ossp"],
    // §4.3 "signed URLs only for staff downloads": the API serves staff and signs with its own identity.
    urlSigners: ["api"],
    roles: [
        {
            name: "api",
            description: "Synchronous REST + WebSocket API; vendor webhooks ingress",
            instances: { dev: { min: 1, max: 4 }, staging: { min: 1, max: 20 }, prod: { min: 3, max: 200 } },
            concurrency: 600,
            timeoutSeconds: 60,
            cpu: "2",
            memory: "2Gi",
            startupCpuBoost: true,
            ingress: "load-balancer",
            sessionAffinity: true,
            dbPoolPerInstance: 1,
            secrets: ["db-app-password", "redis-auth", "hmac-signing-key", "optout-signing-key", "webhook-verification", "feature-flags"],
            publishes: ["webhook-received"],
            consumes: [],
            vendorEgress: false,
        },
        {
            // Issue 15: the API for peer services (assignment, progress over the HA VPN), a Cloud Run service of
            // its own so IAM invocation stays on: the public API's check is off (the external load balancer
            // cannot mint tokens). Same image and process (APP_ROLE=api-internal); REST only, no WebSockets,
            // hence the document's API concurrency (80). One DB connection per instance: prod adds 10 of
            // PgBouncer's 800 client connections (654 → 664).
            name: "api-internal",
            description: "Synchronous REST API for peer services behind the internal load balancer (IAM invoker per caller)",
            instances: { dev: { min: 0, max: 2 }, staging: { min: 0, max: 4 }, prod: { min: 2, max: 10 } },
            concurrency: 80,
            timeoutSeconds: 60,
            cpu: "1",
            memory: "1Gi",
            startupCpuBoost: true,
            ingress: "internal-load-balancer",
            sessionAffinity: false,
            dbPoolPerInstance: 1,
            secrets: ["db-app-password", "redis-auth", "hmac-signing-key", "optout-signing-key", "feature-flags"],
            publishes: [],
            consumes: [],
            vendorEgress: false,
        },
        {
            name: "router",
            description: "Pub/Sub fan-in: resolves templates, preferences, consent; fans out per channel",
            instances: prodOnly(2, 100, 2, 10),
            concurrency: 50,
            timeoutSeconds: 540,
            cpu: "1",
            memory: "1Gi",
            startupCpuBoost: true,
            ingress: "internal",
            sessionAffinity: false,
            dbPoolPerInstance: 1,
            secrets: ["db-app-password", "redis-auth", "feature-flags"],
            publishes: ["dispatch-email", "dispatch-sms", "dispatch-whatsapp", "dispatch-push", "dispatch-inapp", "dispatch-voice"],
            consumes: ["requested"],
            vendorEgress: false,
        },
        worker("email", { min: 2, max: 80 }),
        worker("sms", { min: 2, max: 80 }),
        worker("whatsapp", { min: 2, max: 60 }),
        worker("push", { min: 1, max: 40 }),
        worker("inapp", { min: 2, max: 40 }, { secrets: ["db-app-password", "redis-auth"] }),
        // Phase 3: present, min 0 everywhere until the flag is on (seed 001 §2, §6).
        worker("voice", { min: 0, max: 20 }, { featureFlag: "notifications.voice.enabled" }),
        {
            name: "scheduler",
            description: "Releases scheduled and batched sends when due (single-flight)",
            instances: prodOnly(1, 10, 1, 2),
            concurrency: 50,
            timeoutSeconds: 540,
            cpu: "1",
            memory: "512Mi",
            startupCpuBoost: false,
            ingress: "internal",
            sessionAffinity: false,
            dbPoolPerInstance: 1,
            secrets: ["db-app-password", "redis-auth"],
            publishes: ["requested"],
            consumes: [],
            vendorEgress: false,
        },
        {
            name: "outbox-relay",
            description: "Relays the transactional outbox to Pub/Sub (single-flight per partition)",
            instances: prodOnly(2, 10, 1, 2),
            concurrency: 1,
            timeoutSeconds: 540,
            cpu: "1",
            memory: "512Mi",
            startupCpuBoost: false,
            ingress: "internal",
            sessionAffinity: false,
            dbPoolPerInstance: 1,
            secrets: ["db-app-password"],
            publishes: ["requested", "status", "consent-changed"],
            consumes: [],
            vendorEgress: false,
        },
        {
            name: "webhook-correlator",
            description: "Late correlation of vendor delivery webhooks to sends",
            instances: prodOnly(1, 10, 1, 2),
            concurrency: 50,
            timeoutSeconds: 540,
            cpu: "1",
            memory: "512Mi",
            startupCpuBoost: false,
            ingress: "internal",
            sessionAffinity: false,
            dbPoolPerInstance: 1,
            secrets: ["db-app-password", "redis-auth"],
            publishes: ["status"],
            consumes: ["webhook-received"],
            vendorEgress: false,
        },
        {
            name: "channel-prober",
            description: "Probes vendor health; keeps the channel cache in Redis (no database)",
            instances: prodOnly(1, 4, 1, 1),
            concurrency: 50,
            timeoutSeconds: 540,
            cpu: "1",
            memory: "512Mi",
            startupCpuBoost: false,
            ingress: "internal",
            sessionAffinity: false,
            dbPoolPerInstance: 0,
            secrets: ["redis-auth", "vendor-email", "vendor-sms", "vendor-whatsapp", "vendor-push"],
            publishes: [],
            consumes: [],
            vendorEgress: true,
        },
        {
            name: "cache-warmer",
            description: "Warms template, trigger-map and suppression caches; follows consent changes",
            instances: prodOnly(1, 4, 1, 1),
            concurrency: 50,
            timeoutSeconds: 540,
            cpu: "1",
            memory: "512Mi",
            startupCpuBoost: false,
            ingress: "internal",
            sessionAffinity: false,
            dbPoolPerInstance: 1,
            secrets: ["db-app-password", "redis-auth"],
            publishes: [],
            consumes: ["consent-changed"],
            vendorEgress: false,
        },
    ],
    topics: [
        { subject: subjectOf("requested"), retention: "operational", orderingKey: "tenant_id" },
        ...["email", "sms", "whatsapp", "push", "inapp", "voice"].map((c) => ({
            subject: subjectOf(`dispatch-${c}`),
            retention: "operational" as const,
            orderingKey: "recipient_id",
        })),
        // Delivery evidence and consent are regulated: 30 days (seed 001 §4.4).
        { subject: subjectOf("status"), retention: "regulated", orderingKey: "notification_id" },
        { subject: subjectOf("consent-changed"), retention: "regulated", orderingKey: "recipient_id" },
        { subject: subjectOf("webhook-received"), retention: "operational", orderingKey: "vendor_message_id" },
    ],
    secretPurposes: [
        { purpose: "db-app-password", source: "generated", length: 40 },
        { purpose: "db-migrator-password", source: "generated", length: 40 },
        { purpose: "hmac-signing-key", source: "generated", length: 64 },
        { purpose: "optout-signing-key", source: "generated", length: 64 },
        { purpose: "redis-auth", source: "provider" },
        { purpose: "vendor-email", source: "vendor", vendor: "sendgrid" },
        { purpose: "vendor-sms", source: "vendor", vendor: "twilio" },
        { purpose: "vendor-whatsapp", source: "vendor", vendor: "meta-whatsapp" },
        { purpose: "vendor-push", source: "vendor", vendor: "firebase" },
        { purpose: "vendor-voice", source: "vendor", vendor: "twilio-voice" },
        { purpose: "webhook-verification", source: "vendor", vendor: "webhook-signing" },
        // Seed 001 §6 "LaunchDarkly with platform-managed keys": Cloud Run reaches the SaaS through Cloud NAT
        // (the EKS services cannot, and use the in-cluster flagd: data/flags.ts). Read at run time, never mounted.
        { purpose: "feature-flags", source: "vendor", vendor: "launchdarkly" },
    ],
    webhookVendors: [
        { vendor: "sendgrid", pathPrefix: "/api/v1/webhooks/sendgrid", capRps: 10_000 },
        { vendor: "twilio", pathPrefix: "/api/v1/webhooks/twilio", capRps: 10_000 },
        { vendor: "meta-whatsapp", pathPrefix: "/api/v1/webhooks/whatsapp", capRps: 10_000 },
        { vendor: "firebase", pathPrefix: "/api/v1/webhooks/fcm", capRps: 10_000 },
    ],
    secrets: ["db-app-password", "redis-auth", "hmac-signing-key", "optout-signing-key"],
    // seeds/000 §5 (assignment) and seeds/003 §9 (progress) name notification-service among their outbound peers.
    inbound: [
        { service: "assignment-service", role: "api-internal" },
        { service: "progress-service", role: "api-internal" },
    ],
    data: {
        owns: ["notification-db", "notification-assets-bucket"],
        publishes: [subjectOf("requested"), subjectOf("status"), subjectOf("consent-changed")],
        consumes: [subjectOf("requested")],
    },
    slo: { availability: 99.9, p95LatencyMs: 250 },
    alerts: ["notification-api-error-budget-burn", "notification-api-latency-budget-burn", "notification-dlq-depth", "notification-pubsub-oldest-unacked"],
    runbook: "runbooks/notification-service.md",
    // Every dependency the documents name, with timeout, retry, breaker and degradation (issue 13).
    failurePolicy: notificationFailurePolicies,
    dr: { rpoMinutes: 5, rtoMinutes: 30 },
};

/** The subject a topic key of a role (`requested`, `dispatch-email`) stands for. */
export function subjectOfKey(key: string): string {
    return subjectOf(key);
}
