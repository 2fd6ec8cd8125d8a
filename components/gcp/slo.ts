import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { alertAnchor, alertSignals, burnRateWindows, errorBudget, latencyBudget, runbookUrl, sloWindowDays } from "../../data/catalog/observability";
import { CloudRunRole, CloudRunServiceCard } from "../../data/catalog/types";
import { dlqTopicName } from "./pubsub";

/**
 * Cloud Monitoring for a Cloud Run service from its topology card (issue 13): per active region,
 * per Cloud Run service that takes requests (the API, and every push-subscription consumer), a
 * Monitoring service over it, its SLOs (availability; p95 latency for the API) and one burn-rate
 * alert policy per window pair; the card's named alerts (dead-letter depth, oldest unacked
 * message); one dashboard. Every policy's documentation links its runbook section.
 */

export interface ServiceSlosArgs {
    readonly card: CloudRunServiceCard;
    readonly project: string;
    /** Short name of the service's resources (`notification`). */
    readonly unit: string;
    /** Regions serving traffic (active); the DR region stands by at zero. */
    readonly regions: readonly string[];
    readonly labels: Readonly<Record<string, string>>;
    readonly provider: gcp.Provider;
    /** The Cloud Run services (and subscriptions) the SLOs watch. */
    readonly dependsOn?: readonly pulumi.Resource[];
}

/** Roles whose requests an SLO measures: the API (users), and push consumers (Pub/Sub pushes are requests). */
export function sloRolesOf(card: CloudRunServiceCard): CloudRunRole[] {
    return card.roles.filter((r) => r.ingress === "load-balancer" || r.consumes.length > 0);
}

/** The SLOs of one role: availability for each; p95 latency for the user-facing API. */
export function slosOf(card: CloudRunServiceCard, role: CloudRunRole): { kind: "availability" | "latency"; goal: number; cardAlert: string }[] {
    const avail = card.alerts.find((a) => alertSignals[a]?.kind === "availability-burn") ?? "";
    const latency = card.alerts.find((a) => alertSignals[a]?.kind === "latency-burn") ?? "";
    const out: { kind: "availability" | "latency"; goal: number; cardAlert: string }[] = [{ kind: "availability", goal: 1 - errorBudget(card.slo.availability), cardAlert: avail }];
    if (role.ingress === "load-balancer") {
        out.push({ kind: "latency", goal: 1 - latencyBudget, cardAlert: latency });
    }
    return out;
}

/** Seconds of a burn window (`1h` → 3600). */
export function windowSeconds(w: string): number {
    const m = /^(\d+)([mhd])$/.exec(w);
    if (!m) {
        throw new Error(`burn window ${w}`);
    }
    return Number(m[1]) * { m: 60, h: 3600, d: 86400 }[m[2] as "m" | "h" | "d"];
}

const severityOf = (s: string): string => (s === "critical" ? "CRITICAL" : "WARNING");

export class ServiceSlos extends pulumi.ComponentResource {
    /** Cloud Monitoring SLO resource names, by `role/region/kind`. */
    readonly sloNames: Readonly<Record<string, string>>;
    readonly dashboardName: string;

    constructor(name: string, args: ServiceSlosArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:ServiceSlos", name, {}, opts);
        const { card, unit } = args;
        const child = { parent: this, provider: args.provider, dependsOn: [...(args.dependsOn ?? [])] };
        const sloNames: Record<string, string> = {};
        const doc = (cardAlert: string, text: string) => ({
            mimeType: "text/markdown",
            subject: `${card.service}: ${cardAlert}`,
            content: `${text}\n\nRunbook: ${runbookUrl(card, alertAnchor(cardAlert))}`,
            links: [{ displayName: "Runbook", url: runbookUrl(card, alertAnchor(cardAlert)) }],
        });

        for (const region of args.regions) {
            for (const role of sloRolesOf(card)) {
                const serviceName = `${unit}-${role.name}`;
                const serviceId = `${serviceName}-${region}`;
                const svc = new gcp.monitoring.GenericService(
                    `${name}-${role.name}-${region}`,
                    {
                        project: args.project,
                        serviceId,
                        displayName: `${serviceName} (${region})`,
                        basicService: { serviceType: "CLOUD_RUN", serviceLabels: { service_name: serviceName, location: region } },
                        userLabels: { ...args.labels, role: role.name },
                    },
                    child,
                );
                for (const slo of slosOf(card, role)) {
                    const sloId = `${role.name}-${slo.kind}`;
                    const created = new gcp.monitoring.Slo(
                        `${name}-${role.name}-${region}-${slo.kind}`,
                        {
                            project: args.project,
                            service: svc.serviceId,
                            sloId,
                            displayName: `${serviceName} ${slo.kind} ${slo.kind === "availability" ? `${card.slo.availability}%` : `p95 ≤ ${card.slo.p95LatencyMs} ms`} (${region})`,
                            goal: slo.goal,
                            rollingPeriodDays: sloWindowDays,
                            basicSli: slo.kind === "availability" ? { availability: { enabled: true } } : { latency: { threshold: `${card.slo.p95LatencyMs / 1000}s` } },
                            userLabels: { ...args.labels, role: role.name },
                        },
                        { ...child, dependsOn: [...child.dependsOn, svc] },
                    );
                    // The SLO's resource name, known before creation (the burn-rate filter names it).
                    const sloName = `projects/${args.project}/services/${serviceId}/serviceLevelObjectives/${sloId}`;
                    sloNames[`${role.name}/${region}/${slo.kind}`] = sloName;
                    const burn = (w: string) => `select_slo_burn_rate("${sloName}", "${windowSeconds(w)}s")`;
                    for (const w of burnRateWindows) {
                        new gcp.monitoring.AlertPolicy(
                            `${name}-${role.name}-${region}-${slo.kind}-burn-${w.long}`,
                            {
                                project: args.project,
                                displayName: `${serviceName} ${slo.kind} budget burn > ${w.factor}x over ${w.long} and ${w.short} (${region})`,
                                // Multi-window: both the long and the short window burn faster than the factor.
                                combiner: "AND",
                                severity: severityOf(w.severity),
                                conditions: [w.long, w.short].map((win) => ({
                                    displayName: `burn rate over ${win} > ${w.factor}`,
                                    conditionThreshold: { filter: burn(win), comparison: "COMPARISON_GT", thresholdValue: w.factor, duration: "0s" },
                                })),
                                documentation: doc(slo.cardAlert, `${serviceName} in ${region} spends its ${slo.kind} error budget ${w.factor}× faster than the ${sloWindowDays}-day SLO allows.`),
                                userLabels: { ...args.labels, role: role.name, severity: w.severity },
                            },
                            { ...child, dependsOn: [...child.dependsOn, created] },
                        );
                    }
                }
            }
        }

        for (const cardAlert of card.alerts) {
            const s = alertSignals[cardAlert];
            if (s?.kind === "dlq-depth") {
                new gcp.monitoring.AlertPolicy(
                    `${name}-${cardAlert}`,
                    {
                        project: args.project,
                        displayName: `${card.service}: dead-lettered messages`,
                        combiner: "OR",
                        severity: "CRITICAL",
                        conditions: [
                            {
                                displayName: "messages in a dead-letter subscription",
                                conditionThreshold: {
                                    filter: `resource.type = "pubsub_subscription" AND metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages" AND resource.labels.subscription_id = starts_with("${dlqTopicName("")}")`,
                                    comparison: "COMPARISON_GT",
                                    thresholdValue: s.messages,
                                    duration: "300s",
                                    aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_MAX" }],
                                },
                            },
                        ],
                        documentation: doc(cardAlert, "A message reached a dead-letter topic after 5 delivery attempts (seed 001 §4.4): a send that did not happen."),
                        userLabels: { ...args.labels },
                    },
                    child,
                );
            } else if (s?.kind === "oldest-unacked") {
                new gcp.monitoring.AlertPolicy(
                    `${name}-${cardAlert}`,
                    {
                        project: args.project,
                        displayName: `${card.service}: oldest unacked message older than ${s.seconds} s`,
                        combiner: "OR",
                        severity: "CRITICAL",
                        conditions: [
                            {
                                displayName: `oldest unacked message > ${s.seconds} s`,
                                conditionThreshold: {
                                    filter: `resource.type = "pubsub_subscription" AND metric.type = "pubsub.googleapis.com/subscription/oldest_unacked_message_age" AND resource.labels.subscription_id = starts_with("melmastoon.notification.")`,
                                    comparison: "COMPARISON_GT",
                                    thresholdValue: s.seconds,
                                    duration: "300s",
                                    aggregations: [{ alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MAX" }],
                                },
                            },
                        ],
                        documentation: doc(cardAlert, "A consumer stopped acknowledging: the backlog ages past the push deadline."),
                        userLabels: { ...args.labels },
                    },
                    child,
                );
            }
        }

        this.dashboardName = `${unit}-overview`;
        new gcp.monitoring.Dashboard(`${name}-dashboard`, { project: args.project, dashboardJson: JSON.stringify(cloudRunDashboard(card, unit)) }, child);
        this.sloNames = sloNames;
        this.registerOutputs({ sloNames, dashboardName: this.dashboardName });
    }
}

/** The Cloud Monitoring dashboard of a Cloud Run service: golden signals, saturation, Pub/Sub health, autoscaler state. */
export function cloudRunDashboard(card: CloudRunServiceCard, unit: string): Record<string, unknown> {
    const run = `resource.type = "cloud_run_revision" AND resource.labels.service_name = starts_with("${unit}-")`;
    const chart = (title: string, filter: string, aligner: string, reducer: string, x: number, y: number, groupBy = "resource.label.service_name") => ({
        xPos: x,
        yPos: y,
        width: 6,
        height: 4,
        widget: {
            title,
            xyChart: {
                dataSets: [
                    {
                        plotType: "LINE",
                        timeSeriesQuery: {
                            timeSeriesFilter: { filter, aggregation: { alignmentPeriod: "60s", perSeriesAligner: aligner, crossSeriesReducer: reducer, groupByFields: [groupBy] } },
                        },
                    },
                ],
            },
        },
    });
    return {
        displayName: `${card.service} — overview`,
        labels: { [unit]: "" },
        mosaicLayout: {
            columns: 12,
            tiles: [
                chart("Requests/s by service", `${run} AND metric.type = "run.googleapis.com/request_count"`, "ALIGN_RATE", "REDUCE_SUM", 0, 0),
                chart("5xx requests/s", `${run} AND metric.type = "run.googleapis.com/request_count" AND metric.labels.response_code_class = "5xx"`, "ALIGN_RATE", "REDUCE_SUM", 6, 0),
                chart(`Latency p95 (SLO ${card.slo.p95LatencyMs} ms)`, `${run} AND metric.type = "run.googleapis.com/request_latencies"`, "ALIGN_DELTA", "REDUCE_PERCENTILE_95", 0, 4),
                chart("CPU utilisation p95", `${run} AND metric.type = "run.googleapis.com/container/cpu/utilizations"`, "ALIGN_DELTA", "REDUCE_PERCENTILE_95", 6, 4),
                chart("Instances (autoscaler state)", `${run} AND metric.type = "run.googleapis.com/container/instance_count"`, "ALIGN_MAX", "REDUCE_SUM", 0, 8),
                chart("Memory utilisation p95", `${run} AND metric.type = "run.googleapis.com/container/memory/utilizations"`, "ALIGN_DELTA", "REDUCE_PERCENTILE_95", 6, 8),
                chart(
                    "Pub/Sub oldest unacked age (dependency health)",
                    `resource.type = "pubsub_subscription" AND metric.type = "pubsub.googleapis.com/subscription/oldest_unacked_message_age" AND resource.labels.subscription_id = starts_with("melmastoon.")`,
                    "ALIGN_MAX",
                    "REDUCE_MAX",
                    0,
                    12,
                    "resource.label.subscription_id",
                ),
                chart(
                    "Dead-lettered messages",
                    `resource.type = "pubsub_subscription" AND metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages" AND resource.labels.subscription_id = starts_with("${dlqTopicName("")}")`,
                    "ALIGN_MAX",
                    "REDUCE_SUM",
                    6,
                    12,
                    "resource.label.subscription_id",
                ),
            ],
        },
    };
}
