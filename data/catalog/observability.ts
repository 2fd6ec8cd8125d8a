import { K8sRole, K8sServiceCard, ReplicaRange, ScalingTrigger, TopologyCard } from "./types";

/**
 * The observability side of the topology cards (case study §20, §22 `observability`, §26.6): what
 * each card's alerts watch, the SLO arithmetic, the runbook each alert links to, and the labels
 * the telemetry path refuses. Pure data and functions; components render it as PrometheusRules,
 * Grafana dashboards and Cloud Monitoring policies, scripts/runbooks.ts as the runbooks.
 */

/** The repository the runbooks are committed to; `runbook_url` links into it. */
export const sourceRepository = "https://github.com/melmastoon/learning-platform-infra";
/** Branch the links point at. */
export const sourceBranch = "main";

/** Where a card's runbook lives in the repository: `docs/` + the card's `runbook` (`runbooks/<service>.md`). */
export function runbookPath(card: Pick<TopologyCard, "runbook">): string {
    return `docs/${card.runbook}`;
}

/** The URL of one section of a card's runbook (GitHub anchors: the heading, lower-cased). */
export function runbookUrl(card: Pick<TopologyCard, "runbook">, anchor: string): string {
    return `${sourceRepository}/blob/${sourceBranch}/${runbookPath(card)}#${anchor}`;
}

/** SLO window: 30 days, the window the burn-rate factors below assume. */
export const sloWindowDays = 30;

/**
 * Multi-window, multi-burn-rate alerting (Google SRE workbook, "Alerting on SLOs"): a long window
 * for significance, a short one (1/12) so the alert resets quickly. 14.4× over 1 h and 6× over 6 h
 * spend 2% and 5% of a 30-day budget and page; 3× over 1 d and 1× over 3 d open a ticket.
 */
export const burnRateWindows = [
    { severity: "critical", long: "1h", short: "5m", factor: 14.4 },
    { severity: "critical", long: "6h", short: "30m", factor: 6 },
    { severity: "warning", long: "1d", short: "2h", factor: 3 },
    { severity: "warning", long: "3d", short: "6h", factor: 1 },
] as const;

/** Every window the recording rules compute (the burn-rate pairs' windows). */
export const sliWindows: readonly string[] = [...new Set(burnRateWindows.flatMap((w) => [w.short, w.long]))];

/** Error budget of an availability target in percent: 99.9 → 0.001. */
export function errorBudget(availabilityPercent: number): number {
    return Number((1 - availabilityPercent / 100).toFixed(6));
}

/** A p95 latency objective is a 5% budget of requests slower than the threshold. */
export const latencyBudget = 0.05;

/** What one of a card's alerts watches. */
export type AlertSignal =
    /** Burn of the availability error budget of the card's HTTP roles. */
    | { readonly kind: "availability-burn" }
    /** Burn of the p95 latency budget (requests slower than the card's p95) of its HTTP roles. */
    | { readonly kind: "latency-burn" }
    /** A role's backlog trigger stays past what its max replicas absorb. */
    | { readonly kind: "backlog"; readonly role: string; readonly forMinutes: number }
    /** No holder of a role's leader lease renewed it. */
    | { readonly kind: "leader-missing"; readonly role: string; readonly staleSeconds: number }
    /** A cron role's job failed. */
    | { readonly kind: "job-failed"; readonly role: string }
    /** Calls from the service to a dependency fail above the ratio. */
    | { readonly kind: "dependency-failure-rate"; readonly ratio: number; readonly forMinutes: number }
    /** Messages in the service's dead-letter topics (Cloud Run services). */
    | { readonly kind: "dlq-depth"; readonly messages: number }
    /** The oldest unacknowledged message of a subscription is older than this. */
    | { readonly kind: "oldest-unacked"; readonly seconds: number };

/**
 * The platform's error tolerance for a rollout (seed 001 §6: auto-rollback at error rate > 1% over
 * 5 min): a dependency failing more than that for 5 min is an incident of its own.
 */
export const dependencyFailureRatio = 0.01;

/** Each card alert's signal, by alert name. */
export const alertSignals: Readonly<Record<string, AlertSignal>> = {
    "assignment-api-error-budget-burn": { kind: "availability-burn" },
    "assignment-api-latency-budget-burn": { kind: "latency-burn" },
    "assignment-dependency-failure-rate": { kind: "dependency-failure-rate", ratio: dependencyFailureRatio, forMinutes: 5 },
    "assignment-worker-consumer-lag": { kind: "backlog", role: "worker", forMinutes: 10 },
    // The lease is renewed every few seconds; a minute without renewal means no scheduler runs the sweeps.
    "assignment-scheduler-no-leader": { kind: "leader-missing", role: "scheduler", staleSeconds: 60 },
    "authoring-api-error-budget-burn": { kind: "availability-burn" },
    "authoring-api-latency-budget-burn": { kind: "latency-burn" },
    "authoring-dependency-failure-rate": { kind: "dependency-failure-rate", ratio: dependencyFailureRatio, forMinutes: 5 },
    "authoring-collab-connection-saturation": { kind: "backlog", role: "collab", forMinutes: 10 },
    "authoring-outbox-backlog": { kind: "backlog", role: "worker", forMinutes: 15 },
    "authoring-ai-queue-depth": { kind: "backlog", role: "ai-worker", forMinutes: 10 },
    "progress-api-error-budget-burn": { kind: "availability-burn" },
    "progress-api-latency-budget-burn": { kind: "latency-burn" },
    "progress-dependency-failure-rate": { kind: "dependency-failure-rate", ratio: dependencyFailureRatio, forMinutes: 5 },
    "progress-ingest-consumer-lag": { kind: "backlog", role: "ingest", forMinutes: 10 },
    "progress-projection-lag": { kind: "backlog", role: "projector", forMinutes: 10 },
    "progress-outbox-backlog": { kind: "backlog", role: "outbox-relay", forMinutes: 15 },
    "progress-partition-maintenance-failed": { kind: "job-failed", role: "partition-manager" },
    "notification-api-error-budget-burn": { kind: "availability-burn" },
    "notification-api-latency-budget-burn": { kind: "latency-burn" },
    // Seed 001 §4.4: a message dead-letters after 5 delivery attempts; any is a send that did not happen.
    "notification-dlq-depth": { kind: "dlq-depth", messages: 0 },
    // Seed 001 §4.4: min ack deadline 30 s, 540 s worker timeout; 10 min unacked is a stuck consumer.
    "notification-pubsub-oldest-unacked": { kind: "oldest-unacked", seconds: 600 },
};

/** Problems of a card's alerts: an alert without a signal, a signal naming a role the card lacks or a role without a backlog trigger. */
export function alertProblems(card: TopologyCard): string[] {
    const out: string[] = [];
    const roles = card.roles.map((r) => r.name);
    for (const a of card.alerts) {
        const s = alertSignals[a];
        if (!s) {
            out.push(`${card.service}: alert ${a} has no signal (data/catalog/observability.ts)`);
            continue;
        }
        if ("role" in s && !roles.includes(s.role)) {
            out.push(`${card.service}: alert ${a} watches role ${s.role}, which the card lacks`);
        }
        if (s.kind === "backlog" && card.platform === "eks" && !backlogTrigger(card.roles.find((r) => r.name === s.role))) {
            out.push(`${card.service}: alert ${a} watches a backlog, role ${s.role} scales on none`);
        }
    }
    if (!card.alerts.some((a) => alertSignals[a]?.kind === "availability-burn") || !card.alerts.some((a) => alertSignals[a]?.kind === "latency-burn")) {
        out.push(`${card.service}: no burn-rate alert for each SLO (availability and p95 latency)`);
    }
    return out;
}

/** The trigger a backlog alert watches: a queue, lag or connection count the role scales on. */
export function backlogTrigger(role: K8sRole | undefined): Exclude<ScalingTrigger, { kind: "cpu" }> | undefined {
    for (const t of role?.scaling ?? []) {
        if (t.kind !== "cpu") {
            return t;
        }
    }
    return undefined;
}

/**
 * The backlog value past which a role is behind even at max replicas: the per-pod target times
 * the max (a lag in seconds, which pods do not divide, is its own target).
 */
export function backlogLimit(trigger: Exclude<ScalingTrigger, { kind: "cpu" }>, range: ReplicaRange): number {
    switch (trigger.kind) {
        // A "/pod" target scales with the replicas; a backlog or rate target is the whole queue's (components/k8s/scaling.ts).
        case "nats-jetstream":
            return trigger.scope === "per-pod" ? trigger.lagThreshold * range.max : trigger.lagThreshold;
        case "prometheus":
            // A rate's per-replica target is N / (1.1 × min): max replicas absorb N × max / min.
            return trigger.scope === "per-pod" ? trigger.threshold * range.max : trigger.scope === "rate" ? Math.round((trigger.threshold * range.max) / Math.max(1, range.min)) : trigger.threshold;
    }
}

/** The HTTP roles an SLO covers: those exposed over HTTP (WebSocket sessions have no request latency). */
export function sloRoles(card: K8sServiceCard): K8sRole[] {
    return card.roles.filter((r) => r.exposure?.protocol === "http");
}

/** The runbook section on releases and rollback (heading "Release and rollback"): the rollback alerts link it. */
export const releaseRunbookAnchor = "release-and-rollback";

/** The alert's anchor in the runbook (its heading). */
export const alertAnchor = (alert: string): string => alert;

/**
 * Labels the documents warn about (case study §20 "high-cardinality labels are controlled"; the
 * tenant, user and draft ids of seeds/000 §10, 002 §2, 003 §5): dropped from every scraped series
 * and every OTLP metric; traces and logs keep them.
 */
export const highCardinalityLabels: readonly string[] = [
    "tenant_id",
    "tenantId",
    "tenant",
    "user_id",
    "userId",
    "user",
    "draft_id",
    "draftId",
    "learner_id",
    "recipient_id",
    "session_id",
    "request_id",
    "trace_id",
];

/** Prometheus regex matching exactly those label names. */
export const highCardinalityRegex = `(${highCardinalityLabels.join("|")})`;

/** Per scrape target: more samples fail the scrape (the target's series are then stale, and an alert says so). */
export const scrapeSampleLimit = 20_000;
/** Labels per series; more fail the scrape. */
export const scrapeLabelLimit = 30;
export const scrapeLabelNameLengthLimit = 128;
export const scrapeLabelValueLengthLimit = 512;
