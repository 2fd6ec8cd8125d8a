import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { RoutePolicy, routePolicies } from "../../data/catalog/failure-policies";
import {
    AlertSignal,
    alertAnchor,
    alertSignals,
    backlogLimit,
    backlogTrigger,
    burnRateWindows,
    errorBudget,
    highCardinalityRegex,
    latencyBudget,
    runbookUrl,
    scrapeLabelLimit,
    scrapeLabelNameLengthLimit,
    scrapeLabelValueLengthLimit,
    scrapeSampleLimit,
    sliWindows,
    sloRoles,
} from "../../data/catalog/observability";
import { Environment, K8sRole, K8sServiceCard } from "../../data/catalog/types";
import { ResolvedReplicas } from "../../data/replicas";
import { serviceLabels, shortName, workloadName } from "../../data/naming/k8s";
import { ClusterServices } from "../contracts";
import { baseServiceOf } from "../../data/catalog/synthetic";

/**
 * Operating a service from its topology card (issue 13): the gateway's failure policy per edge
 * route (Envoy Gateway BackendTrafficPolicy), the ServiceMonitor's cardinality guard, and per
 * service a PrometheusRule (SLO recording rules, multi-window multi-burn-rate alerts, the card's
 * named alerts, each with its runbook section) and a Grafana dashboard ConfigMap.
 */

type Json = Record<string, unknown>;

/** The route policy of an edge role; every edge role has one (tests/observe). */
export function routePolicyOf(card: Pick<K8sServiceCard, "service">, role: Pick<K8sRole, "name">): RoutePolicy | undefined {
    // A benchmark copy (data/catalog/synthetic.ts) takes the policy of the service it repeats.
    return routePolicies[`${card.service}/${role.name}`] ?? routePolicies[`${baseServiceOf(card.service)}/${role.name}`];
}

/** Gateway API request timeout of a route: the policy's deadline, `0s` (none) for a WebSocket session. */
export function routeTimeout(policy: RoutePolicy): string {
    return `${policy.timeoutMs}ms`.replace(/^0ms$/, "0s");
}

/**
 * The BackendTrafficPolicy spec of one edge route: the card's timeout, one retry of what never
 * reached a pod (connect failure, refused stream: safe for every method), the retry budget as
 * Envoy's parallel-retry cap, concurrency caps, and outlier ejection of pods that stop answering
 * (local-origin failures; a deliberate 503 of a degraded pod does not eject it). `loadBalancer`:
 * the sticky hashing of a role that has one (one policy per route: Envoy Gateway applies one).
 */
export function edgeTrafficPolicySpec(routeName: pulumi.Input<string>, policy: RoutePolicy, loadBalancer?: Json): Json {
    const cb = policy.circuitBreaker;
    const retry = policy.retry;
    return {
        targetRefs: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: routeName }],
        ...(loadBalancer ? { loadBalancer } : {}),
        timeout: {
            tcp: { connectTimeout: `${policy.connectTimeoutMs}ms` },
            ...(policy.timeoutMs > 0 ? { http: { requestTimeout: `${policy.timeoutMs}ms` } } : {}),
        },
        retry: {
            numRetries: retry.attempts,
            retryOn: { triggers: ["connect-failure", "refused-stream"] },
            perRetry: {
                ...(policy.timeoutMs > 0 ? { timeout: `${policy.timeoutMs}ms` } : {}),
                backOff: { baseInterval: `${retry.backoffMs}ms`, maxInterval: `${retry.backoffMs * 10}ms` },
            },
        },
        circuitBreaker: {
            maxConnections: cb.maxConcurrent,
            maxPendingRequests: cb.maxConcurrent,
            maxParallelRequests: cb.maxConcurrent,
            maxParallelRetries: Math.max(1, Math.ceil((cb.maxConcurrent * retry.budgetPercent) / 100)),
        },
        healthCheck: {
            passive: {
                splitExternalLocalOriginErrors: true,
                consecutiveLocalOriginFailures: cb.consecutiveFailures,
                interval: "10s",
                baseEjectionTime: `${cb.openSeconds}s`,
                maxEjectionPercent: 50,
            },
        },
    };
}

/** ServiceMonitor fields that bound a target's series (case study §20, §26.6). */
export function scrapeLimits(): Json {
    return { sampleLimit: scrapeSampleLimit, labelLimit: scrapeLabelLimit, labelNameLengthLimit: scrapeLabelNameLengthLimit, labelValueLengthLimit: scrapeLabelValueLengthLimit };
}

/** Endpoint relabelling that drops the high-cardinality labels before ingestion. */
export function cardinalityRelabelings(): Json[] {
    return [{ action: "labeldrop", regex: highCardinalityRegex }];
}

// ---------------------------------------------------------------------------------------------
// PrometheusRule

const sel = (card: K8sServiceCard, roles: readonly K8sRole[], extra = ""): string =>
    `namespace="${card.namespace}",app_kubernetes_io_component=~"${roles.map((r) => r.name).join("|")}"${extra}`;
const by = "namespace, app_kubernetes_io_component";

/** Recording rule names (level:metric:operation). */
export const records = {
    errors: (w: string) => `namespace_component:http_server_errors:ratio_rate${w}`,
    slow: (w: string) => `namespace_component:http_server_slow:ratio_rate${w}`,
    p95: "namespace_component:http_server_request_duration_seconds:p95_5m",
};

/** CamelCase alert name (Prometheus convention) of a card alert: `assignment-worker-consumer-lag` → `AssignmentWorkerConsumerLag`. */
export function alertName(cardAlert: string): string {
    return cardAlert
        .split("-")
        .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
        .join("");
}

interface PromRule {
    readonly record?: string;
    readonly alert?: string;
    readonly expr: string;
    readonly for?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
}

/** The card's SLO thresholds in the histogram's unit (seconds); the service's histogram has this bucket boundary. */
export function latencyThresholdSeconds(card: K8sServiceCard): string {
    return String(card.slo.p95LatencyMs / 1000);
}

function recordingRules(card: K8sServiceCard): PromRule[] {
    const roles = sloRoles(card);
    if (roles.length === 0) {
        return [];
    }
    const count = "http_server_request_duration_seconds_count";
    const out: PromRule[] = [];
    for (const w of sliWindows) {
        out.push({
            record: records.errors(w),
            expr: `sum by (${by}) (rate(${count}{${sel(card, roles, ',http_response_status_code=~"5.."')}}[${w}])) / sum by (${by}) (rate(${count}{${sel(card, roles)}}[${w}]))`,
        });
        out.push({
            record: records.slow(w),
            expr: `1 - (sum by (${by}) (rate(http_server_request_duration_seconds_bucket{${sel(card, roles, `,le="${latencyThresholdSeconds(card)}"`)}}[${w}])) / sum by (${by}) (rate(${count}{${sel(card, roles)}}[${w}])))`,
        });
    }
    out.push({
        record: records.p95,
        expr: `histogram_quantile(0.95, sum by (${by}, le) (rate(http_server_request_duration_seconds_bucket{${sel(card, roles)}}[5m])))`,
    });
    return out;
}

function annotations(card: K8sServiceCard, cardAlert: string, summary: string, description: string): Record<string, string> {
    return { summary, description, runbook_url: runbookUrl(card, alertAnchor(cardAlert)) };
}

function labelsOf(card: K8sServiceCard, cardAlert: string, severity: string): Record<string, string> {
    return { severity, service: card.service, owner_team: card.owner.replace(/[^A-Za-z0-9_.-]/g, "_"), card_alert: cardAlert };
}

/** The alerting rules of one card alert in one environment. */
export function alertRules(card: K8sServiceCard, cardAlert: string, signal: AlertSignal, replicas: ResolvedReplicas): PromRule[] {
    const name = alertName(cardAlert);
    const ns = card.namespace;
    switch (signal.kind) {
        case "availability-burn":
        case "latency-burn": {
            const budget = signal.kind === "availability-burn" ? errorBudget(card.slo.availability) : latencyBudget;
            const rec = signal.kind === "availability-burn" ? records.errors : records.slow;
            const what = signal.kind === "availability-burn" ? `availability SLO ${card.slo.availability}%` : `p95 latency SLO ${card.slo.p95LatencyMs} ms`;
            return burnRateWindows.map((w) => ({
                alert: name,
                expr: `${rec(w.long)}{namespace="${ns}"} > (${w.factor} * ${budget}) and ${rec(w.short)}{namespace="${ns}"} > (${w.factor} * ${budget})`,
                for: w.severity === "critical" ? "2m" : "15m",
                labels: { ...labelsOf(card, cardAlert, w.severity), window: `${w.long}/${w.short}` },
                annotations: annotations(
                    card,
                    cardAlert,
                    `${card.service} burns its ${what} error budget ${w.factor}× too fast`,
                    `{{ $labels.app_kubernetes_io_component }}: over ${w.long} and ${w.short} the budget burns at more than ${w.factor}× the rate that spends it in 30 days.`,
                ),
            }));
        }
        case "backlog": {
            const role = card.roles.find((r) => r.name === signal.role);
            const trigger = backlogTrigger(role);
            const range = role ? replicas[`${card.service}/${role.name}`] : undefined;
            if (!role || !trigger || !range) {
                return [];
            }
            const limit = backlogLimit(trigger, range);
            const value = trigger.kind === "nats-jetstream" ? `max(nats_consumer_num_pending{stream_name="${trigger.stream}",consumer_name="${trigger.consumer}"})` : `(${trigger.query})`;
            return [
                {
                    alert: name,
                    expr: `${value} > ${limit}`,
                    for: `${signal.forMinutes}m`,
                    labels: labelsOf(card, cardAlert, "critical"),
                    annotations: annotations(
                        card,
                        cardAlert,
                        `${workloadName(card, role)} is behind at its max of ${range.max} replicas`,
                        `The backlog ({{ $value }}) stayed above ${limit} (the per-pod target × ${range.max} replicas) for ${signal.forMinutes} min: scaling cannot absorb it.`,
                    ),
                },
            ];
        }
        case "leader-missing":
            return [
                {
                    alert: name,
                    expr: `(time() - max(kube_lease_renew_time{namespace="${ns}",lease="${card.roles.find((r) => r.name === signal.role)?.leaderElection?.leaseName ?? ""}"})) > ${signal.staleSeconds}`,
                    for: "2m",
                    labels: labelsOf(card, cardAlert, "critical"),
                    annotations: annotations(card, cardAlert, `${shortName(card)}-${signal.role} has no leader`, `The leader lease was not renewed for more than ${signal.staleSeconds} s: no replica runs the leader's loops.`),
                },
            ];
        case "job-failed":
            return [
                {
                    alert: name,
                    expr: `max(kube_job_status_failed{namespace="${ns}",job_name=~"${shortName(card)}-${signal.role}-.*"}) > 0`,
                    for: "5m",
                    labels: labelsOf(card, cardAlert, "warning"),
                    annotations: annotations(card, cardAlert, `${shortName(card)}-${signal.role} failed`, "A run of the maintenance job failed; the next run retries it."),
                },
            ];
        case "dependency-failure-rate": {
            const http = "http_client_request_duration_seconds_count";
            const db = "db_client_operation_duration_seconds_count";
            const ratio = (metric: string, key: string) =>
                `(sum by (${key}) (rate(${metric}{namespace="${ns}",error_type!=""}[5m])) / sum by (${key}) (rate(${metric}{namespace="${ns}"}[5m])) > ${signal.ratio})`;
            return [
                {
                    alert: name,
                    expr: `${ratio(http, "server_address")} or ${ratio(db, "db_system_name")}`,
                    for: `${signal.forMinutes}m`,
                    labels: labelsOf(card, cardAlert, "critical"),
                    annotations: annotations(
                        card,
                        cardAlert,
                        `${card.service}: calls to {{ $labels.server_address }}{{ $labels.db_system_name }} fail`,
                        `More than ${signal.ratio * 100}% of calls failed for ${signal.forMinutes} min; the dependency's failure policy (runbook) says what degrades.`,
                    ),
                },
            ];
        }
        case "dlq-depth":
        case "oldest-unacked":
            // Cloud Run services' alerts: Cloud Monitoring (components/gcp/slo.ts).
            return [];
    }
}

/** The PrometheusRule spec of one service in one environment. */
export function prometheusRuleSpec(card: K8sServiceCard, replicas: ResolvedReplicas): { groups: Json[] } {
    const alerts = card.alerts.flatMap((a) => {
        const s = alertSignals[a];
        return s ? alertRules(card, a, s, replicas) : [];
    });
    return {
        groups: [
            { name: `${shortName(card)}.slo.recording`, interval: "30s", rules: recordingRules(card) },
            { name: `${shortName(card)}.alerts`, rules: alerts },
        ],
    };
}

// ---------------------------------------------------------------------------------------------
// Grafana dashboard

/** The Grafana dashboard uid of a service (linked from the namespace annotation and the runbook). */
export const dashboardUid = (card: Pick<K8sServiceCard, "service">): string => `${card.service}-overview`.slice(0, 40);

/**
 * One dashboard per service: golden signals (traffic, errors, p95 against the SLO), saturation
 * (CPU and memory against requests, in-flight), dependency health (client failure ratio per
 * upstream, the gateway's circuit-breaker overflows), autoscaler state (current/desired/max).
 */
export function dashboardJson(card: K8sServiceCard): Json {
    const ns = card.namespace;
    let id = 0;
    const panel = (title: string, exprs: readonly string[], y: number, x: number, unit = "short"): Json => ({
        id: ++id,
        type: "timeseries",
        title,
        datasource: { type: "prometheus", uid: "${datasource}" },
        gridPos: { h: 8, w: 12, x, y },
        fieldConfig: { defaults: { unit }, overrides: [] },
        targets: exprs.map((expr, i) => ({ refId: String.fromCharCode(65 + i), expr, legendFormat: "{{app_kubernetes_io_component}} {{server_address}}{{horizontalpodautoscaler}}" })),
    });
    const row = (title: string, y: number): Json => ({ id: ++id, type: "row", title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    const count = `http_server_request_duration_seconds_count{namespace="${ns}"}`;
    return {
        uid: dashboardUid(card),
        title: `${card.service} — overview`,
        tags: ["learning-platform", card.service, "topology-card"],
        timezone: "utc",
        schemaVersion: 39,
        refresh: "30s",
        time: { from: "now-6h", to: "now" },
        templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Prometheus" }] },
        links: [{ title: "Runbook", type: "link", url: runbookUrl(card, "alerts"), targetBlank: true }],
        panels: [
            row("Golden signals", 0),
            panel("Traffic (requests/s)", [`sum by (app_kubernetes_io_component) (rate(${count}[5m]))`], 1, 0, "reqps"),
            panel("Errors (5xx ratio)", [`${records.errors("5m")}{namespace="${ns}"}`, `${errorBudget(card.slo.availability)}`], 1, 12, "percentunit"),
            panel(`Latency p95 (SLO ${card.slo.p95LatencyMs} ms)`, [`${records.p95}{namespace="${ns}"}`, `${card.slo.p95LatencyMs / 1000}`], 9, 0, "s"),
            panel("Requests slower than the SLO threshold", [`${records.slow("5m")}{namespace="${ns}"}`, `${latencyBudget}`], 9, 12, "percentunit"),
            row("Saturation", 17),
            panel(
                "CPU used / requested",
                [
                    `sum by (container) (rate(container_cpu_usage_seconds_total{namespace="${ns}",container!=""}[5m])) / sum by (container) (kube_pod_container_resource_requests{namespace="${ns}",resource="cpu"})`,
                ],
                18,
                0,
                "percentunit",
            ),
            panel(
                "Memory used / limit",
                [`sum by (container) (container_memory_working_set_bytes{namespace="${ns}",container!=""}) / sum by (container) (kube_pod_container_resource_limits{namespace="${ns}",resource="memory"})`],
                18,
                12,
                "percentunit",
            ),
            row("Dependency health", 26),
            panel(
                "Dependency failure ratio",
                [
                    `sum by (server_address) (rate(http_client_request_duration_seconds_count{namespace="${ns}",error_type!=""}[5m])) / sum by (server_address) (rate(http_client_request_duration_seconds_count{namespace="${ns}"}[5m]))`,
                    `sum by (db_system_name) (rate(db_client_operation_duration_seconds_count{namespace="${ns}",error_type!=""}[5m])) / sum by (db_system_name) (rate(db_client_operation_duration_seconds_count{namespace="${ns}"}[5m]))`,
                ],
                27,
                0,
                "percentunit",
            ),
            panel("Gateway: circuit-breaker overflows and retries", [`sum by (envoy_cluster_name) (rate(envoy_cluster_upstream_rq_pending_overflow{envoy_cluster_name=~".*${ns}.*"}[5m]))`, `sum by (envoy_cluster_name) (rate(envoy_cluster_upstream_rq_retry{envoy_cluster_name=~".*${ns}.*"}[5m]))`], 27, 12),
            row("Autoscaler state", 35),
            panel(
                "Replicas: current / desired / max",
                [
                    `kube_horizontalpodautoscaler_status_current_replicas{namespace="${ns}"}`,
                    `kube_horizontalpodautoscaler_status_desired_replicas{namespace="${ns}"}`,
                    `kube_horizontalpodautoscaler_spec_max_replicas{namespace="${ns}"}`,
                ],
                36,
                0,
            ),
            panel("KEDA scaler metric values", [`keda_scaler_metrics_value{namespace="${ns}"}`], 36, 12),
        ],
    };
}

// ---------------------------------------------------------------------------------------------
// Component

export interface ServiceObservabilityArgs {
    readonly card: K8sServiceCard;
    readonly environment: Environment;
    readonly owner: string;
    readonly replicas: ResolvedReplicas;
    readonly cluster: ClusterServices;
    /** The service's namespace (the workload's output, so the rules wait for it). */
    readonly namespace: pulumi.Input<string>;
    /** The Prometheus Operator's CRDs. */
    readonly crdsReady: readonly pulumi.Resource[];
}

/** Label the kube-prometheus-stack Grafana sidecar loads dashboards by. */
export const grafanaDashboardLabel = { grafana_dashboard: "1" } as const;

/** One service's PrometheusRule and Grafana dashboard on one cluster, from its topology card. */
export class ServiceObservability extends pulumi.ComponentResource {
    readonly ruleName: string;
    readonly dashboardUid: string;

    constructor(name: string, args: ServiceObservabilityArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("learning-platform:k8s:ServiceObservability", name, {}, opts);
        const { card } = args;
        const child = { parent: this, provider: opts.provider };
        const labels = serviceLabels(card, { environment: args.environment, owner: args.owner });
        const short = shortName(card);
        this.ruleName = `${short}-slo`;
        this.dashboardUid = dashboardUid(card);

        new k8s.apiextensions.CustomResource(
            `${name}-rules`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                // The release label: kube-prometheus-stack's Prometheus loads rules carrying it.
                metadata: { name: this.ruleName, namespace: args.namespace, labels: { ...labels, ...args.cluster.serviceMonitorSelector } },
                spec: prometheusRuleSpec(card, args.replicas),
            },
            { ...child, dependsOn: [...args.crdsReady] },
        );
        new k8s.core.v1.ConfigMap(
            `${name}-dashboard`,
            {
                metadata: { name: `${short}-dashboard`, namespace: args.namespace, labels: { ...labels, ...grafanaDashboardLabel } },
                data: { [`${card.service}.json`]: JSON.stringify(dashboardJson(card)) },
            },
            child,
        );
        this.registerOutputs({ ruleName: this.ruleName, dashboardUid: this.dashboardUid });
    }
}
