import { CircuitBreakerRule, CloudRunServiceCard, FailurePolicy, K8sServiceCard, RetryRule, TopologyCard } from "./types";

/**
 * Failure policies of every dependency a document names (case study §14, §22 `reliability`, §23,
 * §26.7), one per dependency of each card, and the edge routes' policies the gateway enforces.
 * The documents fix the frame: an API call has an 800 ms deadline budget (§14 "command timeout"),
 * a call on the decision path 150 ms (§14 "policy timeout"), retries are 0 for a non-idempotent
 * unknown outcome and 1 for a safe transient (§14), one layer retries, never several (§10 "retry
 * multiplication"), notification sends retry through Pub/Sub redelivery, 5 attempts then the
 * dead-letter topic (seed 001 §4.4). Timeouts per dependency, budgets and breaker thresholds inside
 * that frame are ours (README). Pure data.
 */

/** Case study §14: the API deadline budget of a synchronous call. */
export const apiDeadlineMs = 800;
/** Case study §14: a lookup on the decision path (fail fast, decide without it or reject). */
export const decisionPathTimeoutMs = 150;
/** Case study §14: at most one retry, for a safe transient only. */
export const maxRetryAttempts = 1;

/** One retry of an idempotent call, at most 10% extra load. */
const safeRetry = (backoffMs: number): RetryRule => ({ attempts: 1, idempotentOnly: true, budgetPercent: 10, backoffMs });
/** No retry inside the call: an unknown outcome is not repeated; the outbox or the broker re-drives it. */
const noRetry: RetryRule = { attempts: 0, idempotentOnly: true, budgetPercent: 0, backoffMs: 0 };
const breaker = (consecutiveFailures: number, openSeconds: number, maxConcurrent: number): CircuitBreakerRule => ({ consecutiveFailures, openSeconds, maxConcurrent });

const policy = (dependency: string, timeoutMs: number, retry: RetryRule, circuitBreaker: CircuitBreakerRule, behavior: string): FailurePolicy => ({
    dependency,
    behavior,
    timeoutMs,
    retry,
    circuitBreaker,
});

export const assignmentFailurePolicies: readonly FailurePolicy[] = [
    policy("postgres", 350, safeRetry(50), breaker(5, 30, 10), "reject writes with 503; reads from Redis cache where fresh"),
    policy("redis", 100, safeRetry(20), breaker(5, 10, 64), "cache bypassed: reads go to Postgres; rate limits fail closed"),
    policy("nats", 1000, noRetry, breaker(5, 30, 32), "outbox keeps events; publisher retries; lag alert"),
    policy("ai-gateway-service", 10_000, noRetry, breaker(5, 60, 8), "ai-suggest bulkheaded; suggestions degrade to none"),
    policy("notification-service", apiDeadlineMs, noRetry, breaker(5, 30, 32), "reminders stay in the outbox and are re-sent by the relay; no user-visible error"),
    policy("tenant-service", decisionPathTimeoutMs, safeRetry(20), breaker(5, 30, 32), "tenant metadata served from the Redis cache; without it the command is rejected with 503 (no guessing of a tenant's home region)"),
    policy("catalog-service", 300, safeRetry(50), breaker(5, 30, 32), "course metadata from the cached copy; assignment creation for unknown courses rejected with 503"),
];

export const authoringFailurePolicies: readonly FailurePolicy[] = [
    policy("postgres", 350, safeRetry(50), breaker(5, 30, 5), "reject draft writes with 503; collab keeps live sessions in memory and Redis"),
    policy("redis", 100, safeRetry(20), breaker(5, 10, 64), "collab loses awareness coordination; clients reconnect to the hashed pod; locks fail closed"),
    policy("nats", 1000, noRetry, breaker(5, 30, 32), "outbox keeps publish-saga events; relay retries idempotently"),
    policy("object-storage", 2000, safeRetry(100), breaker(5, 30, 32), "snapshots and SCORM staging wait in the worker's queue; previews show the last cached copy"),
    policy("media-service", 500, safeRetry(50), breaker(5, 30, 32), "media picker shows the last cached thumbnails; new uploads are refused with a visible error"),
    policy("content-service", 500, safeRetry(50), breaker(5, 30, 32), "publish saga waits for content.play_package.built; drafts stay editable"),
    policy("ai-gateway-service", 10_000, noRetry, breaker(5, 60, 8), "regional gateway falls back to the local model; AI suggestions degrade, authoring continues"),
    policy("catalog-service", 300, safeRetry(50), breaker(5, 30, 32), "publish requests queue in the outbox; catalog metadata shown from cache"),
];

export const progressFailurePolicies: readonly FailurePolicy[] = [
    policy("postgres", 350, safeRetry(50), breaker(5, 30, 4), "ingest pauses and lag grows (statements stay in JetStream); api reads degrade to the Redis cache"),
    policy("redis", 100, safeRetry(20), breaker(5, 10, 64), "query cache bypassed; reads go to the replicas"),
    policy("nats", 1000, noRetry, breaker(5, 30, 32), "outbox keeps completion events; relay retries; lag alert"),
    policy("object-storage", 5000, safeRetry(200), breaker(5, 60, 8), "cold archive export paused; expired partitions stay detached until the archive is back"),
    policy("analytics-service", 500, noRetry, breaker(5, 30, 16), "firehose is asynchronous: records wait in the regional MSK cluster (retention per profile) and MSK Replicator (managed MirrorMaker, seed 003 §8; components/aws/msk.ts) catches up; no effect on ingest"),
    policy("certification-service", 500, noRetry, breaker(5, 30, 16), "completion events stay in the outbox; certificates issue late, progress unaffected"),
    policy("notification-service", apiDeadlineMs, noRetry, breaker(5, 30, 16), "completion notices stay in the outbox; re-sent by the relay"),
    policy("enrollment-service", 500, noRetry, breaker(5, 30, 16), "enrollment updates stay in the outbox; progress unaffected"),
];

export const notificationFailurePolicies: readonly FailurePolicy[] = [
    policy("cloud-sql", 350, safeRetry(50), breaker(5, 30, 1), "API rejects writes with 503; outbox keeps events until the primary is back"),
    policy("redis", 100, safeRetry(20), breaker(5, 10, 64), "rate limits fail closed; caches fall back to the database"),
    policy("pubsub", 1000, safeRetry(100), breaker(5, 30, 64), "outbox-relay holds events in Postgres; publishing resumes from the outbox"),
    policy("cloud-storage", 2000, safeRetry(100), breaker(5, 30, 16), "rendered assets served from the previous version; staff downloads fail visibly"),
    // Vendor sends are not idempotent at every vendor: no retry inside the call; Pub/Sub redelivers, 5 attempts, then DLQ.
    policy("sendgrid", 10_000, noRetry, breaker(5, 60, 50), "email worker isolates the failure; Pub/Sub redelivers, dead-letters after 5 attempts"),
    policy("twilio", 10_000, noRetry, breaker(5, 60, 50), "sms worker isolates the failure; Pub/Sub redelivers, dead-letters after 5 attempts"),
    policy("meta-whatsapp", 10_000, noRetry, breaker(5, 60, 50), "whatsapp worker isolates the failure; Pub/Sub redelivers, dead-letters after 5 attempts"),
    policy("firebase", 10_000, noRetry, breaker(5, 60, 50), "push worker isolates the failure; Pub/Sub redelivers, dead-letters after 5 attempts"),
    policy("twilio-voice", 10_000, noRetry, breaker(5, 60, 50), "voice worker (flag-gated) isolates the failure; Pub/Sub redelivers, dead-letters after 5 attempts"),
    policy("launchdarkly", 500, safeRetry(100), breaker(5, 60, 8), "flags evaluate from the SDK's last-known values; new flags default off"),
];

/** Edge route of a role, as the gateway (Envoy Gateway) enforces it; keyed `service/role`. */
export interface RoutePolicy {
    /** Request deadline at the gateway; 0: none (a WebSocket lives for the session). */
    readonly timeoutMs: number;
    readonly connectTimeoutMs: number;
    readonly retry: RetryRule;
    readonly circuitBreaker: CircuitBreakerRule;
}

/**
 * The gateway retries only what never reached the pod (connect failure, refused stream): safe for
 * every method, so the one retry the document allows adds no duplicate side effect. Concurrency caps
 * are the roles' in-flight scaling target × prod max replicas where a document gives one.
 */
export const routePolicies: Readonly<Record<string, RoutePolicy>> = {
    // seeds/000 §5: 50 in flight per pod × 24 pods.
    "assignment-service/api": { timeoutMs: apiDeadlineMs, connectTimeoutMs: 1000, retry: safeRetry(25), circuitBreaker: breaker(5, 30, 1200) },
    // seeds/002 §2: 30 pods; 100 active editors per pod scale it, ~one request in flight each.
    "authoring-service/api": { timeoutMs: apiDeadlineMs, connectTimeoutMs: 1000, retry: safeRetry(25), circuitBreaker: breaker(5, 30, 3000) },
    // seeds/002 §2: 500 WebSocket connections per pod × 20 pods; no request deadline.
    "authoring-service/collab": { timeoutMs: 0, connectTimeoutMs: 1000, retry: safeRetry(25), circuitBreaker: breaker(5, 30, 10_000) },
    // seeds/003 §2: 500 rps per pod × 50 pods at the 800 ms deadline bounds the in-flight count.
    "progress-service/api": { timeoutMs: apiDeadlineMs, connectTimeoutMs: 1000, retry: safeRetry(25), circuitBreaker: breaker(5, 30, 5000) },
};

/** Every dependency a card's documents name, by the name its failure policy uses. */
export function dependencyNames(card: TopologyCard): string[] {
    return card.platform === "eks" ? k8sDependencyNames(card) : cloudRunDependencyNames(card);
}

function k8sDependencyNames(card: K8sServiceCard): string[] {
    return card.outbound.map((d) => (d.kind === "service" ? d.name : d.kind === "cross-cloud" ? d.service : d.kind));
}

function cloudRunDependencyNames(card: CloudRunServiceCard): string[] {
    const out: string[] = [];
    if (card.roles.some((r) => r.dbPoolPerInstance > 0)) {
        out.push("cloud-sql");
    }
    if (card.roles.some((r) => r.secrets.includes("redis-auth"))) {
        out.push("redis");
    }
    if (card.topics.length > 0) {
        out.push("pubsub");
    }
    if (card.data.owns.some((o) => o.endsWith("-bucket"))) {
        out.push("cloud-storage");
    }
    // Vendors the service calls (the webhook signing secret verifies inbound calls; it is no dependency).
    for (const p of card.secretPurposes) {
        if (p.source === "vendor" && p.vendor && p.vendor !== "webhook-signing") {
            out.push(p.vendor);
        }
    }
    return out;
}

/** Problems of a card's failure policies: a dependency without one, one naming no dependency, a rule the documents forbid. */
export function failurePolicyProblems(card: TopologyCard): string[] {
    const deps = dependencyNames(card);
    const named = card.failurePolicy.map((p) => p.dependency);
    const problems: string[] = [];
    for (const d of deps.filter((d) => !named.includes(d))) {
        problems.push(`${card.service}: dependency ${d} has no failure policy`);
    }
    for (const n of named.filter((n) => !deps.includes(n))) {
        problems.push(`${card.service}: failure policy for ${n}, which is no dependency of the card`);
    }
    for (const p of card.failurePolicy) {
        problems.push(...ruleProblems(`${card.service} → ${p.dependency}`, p));
    }
    return problems;
}

/** Problems of one timeout/retry/breaker set (a dependency's or a route's). */
export function ruleProblems(where: string, p: { timeoutMs: number; retry: RetryRule; circuitBreaker: CircuitBreakerRule; behavior?: string }): string[] {
    const out: string[] = [];
    if (!(p.timeoutMs > 0) && p.behavior !== undefined) {
        out.push(`${where}: no timeout`);
    }
    if (p.retry.attempts > maxRetryAttempts) {
        out.push(`${where}: ${p.retry.attempts} retries; case study §14 allows ${maxRetryAttempts} for a safe transient`);
    }
    if (p.retry.attempts > 0 && !(p.retry.budgetPercent > 0 && p.retry.budgetPercent <= 20)) {
        out.push(`${where}: retries without a budget of 1–20% of calls`);
    }
    if (!(p.circuitBreaker.consecutiveFailures > 0 && p.circuitBreaker.openSeconds > 0 && p.circuitBreaker.maxConcurrent > 0)) {
        out.push(`${where}: circuit breaker incomplete`);
    }
    if (p.behavior !== undefined && p.behavior.trim() === "") {
        out.push(`${where}: no degradation stated`);
    }
    return out;
}

/**
 * The ConfigMap value the service's client library reads (FAILURE_POLICIES_JSON): timeout, retry
 * and breaker per dependency. Ambient mesh without waypoints carries L4 only, so the application
 * is the one layer that retries service-to-service calls (case study §10).
 */
export function failurePolicyConfig(card: TopologyCard): Record<string, string> {
    const body = Object.fromEntries(
        card.failurePolicy.map((p) => [
            p.dependency,
            {
                timeoutMs: p.timeoutMs,
                retries: p.retry.attempts,
                retryIdempotentOnly: p.retry.idempotentOnly,
                retryBudgetPercent: p.retry.budgetPercent,
                retryBackoffMs: p.retry.backoffMs,
                breakerConsecutiveFailures: p.circuitBreaker.consecutiveFailures,
                breakerOpenSeconds: p.circuitBreaker.openSeconds,
                maxConcurrent: p.circuitBreaker.maxConcurrent,
            },
        ]),
    );
    return { FAILURE_POLICIES_JSON: JSON.stringify(body) };
}
