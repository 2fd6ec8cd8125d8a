import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { arr, obj } from "./util";
import { TopologyCard, catalog } from "../../data/catalog";
import { failurePolicyProblems, maxRetryAttempts } from "../../data/catalog/failure-policies";
import { alertProblems } from "../../data/catalog/observability";

/**
 * Observability and failure-handling rules (case study §20, §22, §26.2 "timeouts and retries per
 * edge", §26.6 "cardinality risks controlled", §26.7 "each dependency has a failure policy",
 * "emergency levers documented"): what the cards demand, checked on what the program registers.
 */

type Props = Record<string, unknown>;

const nameOf = (p: Props): string => {
    const m = obj(p.metadata);
    return `${typeof m.namespace === "string" ? `${m.namespace}/` : ""}${typeof m.name === "string" ? m.name : "?"}`;
};
const scopeOf = (r: PolicyResource): string => `${r.provider?.name ?? "default"}/${String(obj(r.props.metadata).namespace ?? "default")}`;

/** Label names a relabelling must drop (the documents' tenant, user and draft ids). */
export const mustDropLabels: readonly string[] = ["tenant_id", "user_id", "draft_id"];

/** Problems of one monitor's spec: limits unset, an endpoint that keeps a high-cardinality label. */
export function monitorCardinalityProblems(kind: "ServiceMonitor" | "PodMonitor", spec: Props): string[] {
    const out: string[] = [];
    for (const k of ["sampleLimit", "labelLimit"]) {
        const v = spec[k];
        if (!(typeof v === "number" && v > 0)) {
            out.push(`sets no ${k}`);
        }
    }
    const endpoints = arr(kind === "ServiceMonitor" ? spec.endpoints : spec.podMetricsEndpoints).map(obj);
    if (endpoints.length === 0) {
        out.push("has no endpoints");
    }
    endpoints.forEach((e, i) => {
        const dropping = arr(e.metricRelabelings)
            .map(obj)
            .filter((r) => String(r.action ?? "").toLowerCase() === "labeldrop" && typeof r.regex === "string")
            .map((r) => new RegExp(`^(?:${String(r.regex)})$`));
        const kept = mustDropLabels.filter((l) => !dropping.some((re) => re.test(l)));
        if (kept.length > 0) {
            out.push(`endpoint ${i} keeps ${kept.join(", ")} (no labeldrop metricRelabeling)`);
        }
    });
    return out;
}

export const scrapeCardinality: ResourceValidationPolicy = {
    name: "observability/scrape-cardinality",
    description:
        "Every ServiceMonitor and PodMonitor the program registers sets sampleLimit and labelLimit and drops the tenant, user and draft id labels from every endpoint (case study §20, §26.6).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        const kind = args.type === "kubernetes:monitoring.coreos.com/v1:ServiceMonitor" ? "ServiceMonitor" : args.type === "kubernetes:monitoring.coreos.com/v1:PodMonitor" ? "PodMonitor" : undefined;
        if (!kind) {
            return;
        }
        for (const p of monitorCardinalityProblems(kind, obj(args.props.spec))) {
            report(`${kind} ${nameOf(args.props)} ${p}`);
        }
    },
};

/** Alerting rules of a PrometheusRule spec. */
function alertsOf(spec: Props): Props[] {
    return arr(spec.groups)
        .flatMap((g) => arr(obj(g).rules))
        .map(obj)
        .filter((r) => typeof r.alert === "string");
}

export const sloAlerts: StackValidationPolicy = {
    name: "observability/slo-alerts",
    description:
        "Every service namespace the program creates has a PrometheusRule with burn-rate alerts for availability and p95 latency, and every alert (Prometheus or Cloud Monitoring) links its runbook section (case study §22 observability, §26.6).",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const rules = args.resources.filter((r) => r.type === "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        const services = args.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace" && typeof obj(obj(r.props.metadata).annotations)["learning-platform/runbook"] === "string");
        for (const ns of services) {
            const name = String(obj(ns.props.metadata).name);
            const mine = rules.filter((r) => `${r.provider?.name ?? "default"}/${name}` === scopeOf(r));
            const kinds = new Set(mine.flatMap((r) => alertsOf(obj(r.props.spec))).map((a) => String(obj(a.labels).card_alert ?? "")));
            const hasAvail = [...kinds].some((k) => k.endsWith("-error-budget-burn"));
            const hasLatency = [...kinds].some((k) => k.endsWith("-latency-budget-burn"));
            if (!hasAvail || !hasLatency) {
                report(`service namespace ${name}: no PrometheusRule with ${[!hasAvail ? "availability" : "", !hasLatency ? "p95 latency" : ""].filter(Boolean).join(" and ")} burn-rate alerts`, ns.urn);
            }
        }
        for (const r of rules) {
            for (const a of alertsOf(obj(r.props.spec))) {
                const url = obj(a.annotations).runbook_url;
                if (typeof url !== "string" || !/\/docs\/runbooks\/[^/]+\.md#[a-z0-9-]+$/.test(url)) {
                    report(`PrometheusRule ${nameOf(r.props)} alert ${String(a.alert)} has no runbook_url to a runbook section`, r.urn);
                }
            }
        }
        for (const p of args.resources.filter((r) => r.type === "gcp:monitoring/alertPolicy:AlertPolicy")) {
            const links = arr(obj(p.props.documentation).links).map((l) => String(obj(l).url ?? ""));
            if (!links.some((u) => /\/docs\/runbooks\/[^/]+\.md#[a-z0-9-]+$/.test(u))) {
                report(`alert policy ${String(p.props.displayName)} links no runbook section`, p.urn);
            }
        }
    },
};

export const edgeRoutePolicies: StackValidationPolicy = {
    name: "observability/edge-route-policy",
    description: `Every HTTPRoute (the program's own, or the one a Flagger Canary with gatewayRefs writes, named after its service) has a BackendTrafficPolicy with a timeout, at most ${maxRetryAttempts} retry (case study §14) and a circuit breaker (case study §26.2 "timeouts and retries per edge").`,
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const policies = args.resources.filter((r) => r.type === "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy");
        // A Canary on the edge owns its HTTPRoute (issue 12): Flagger names it after the Canary's service.
        const canaryRoutes = args.resources
            .filter((r) => r.type === "kubernetes:flagger.app/v1beta1:Canary" && arr(obj(obj(r.props.spec).service).gatewayRefs).length > 0)
            .map((r) => ({ ...r, routeName: String(obj(obj(r.props.spec).service).name), label: `HTTPRoute ${String(obj(r.props.metadata).namespace)}/${String(obj(obj(r.props.spec).service).name)} (Flagger's)` }));
        const ownRoutes = args.resources
            .filter((r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")
            .map((r) => ({ ...r, routeName: String(obj(r.props.metadata).name), label: `HTTPRoute ${nameOf(r.props)}` }));
        for (const route of [...ownRoutes, ...canaryRoutes]) {
            const name = route.routeName;
            const mine = policies.filter((p) => scopeOf(p) === scopeOf(route) && arr(obj(p.props.spec).targetRefs).some((t) => obj(t).kind === "HTTPRoute" && obj(t).name === name));
            const spec = obj(mine[0]?.props.spec);
            const missing = ["timeout", "retry", "circuitBreaker"].filter((k) => spec[k] === undefined);
            if (mine.length === 0 || missing.length > 0) {
                report(`${route.label}: no BackendTrafficPolicy with ${missing.join(", ") || "timeout, retry, circuitBreaker"}`, route.urn);
                continue;
            }
            const retries = obj(spec.retry).numRetries;
            if (typeof retries !== "number" || retries > maxRetryAttempts) {
                report(`${route.label}: ${String(retries)} retries at the gateway; at most ${maxRetryAttempts} (case study §14)`, route.urn);
            }
        }
    },
};

/** The cards' failure-policy and alert problems (the rule below runs it on the catalog). */
export function cardProblems(cards: readonly TopologyCard[]): string[] {
    return cards.flatMap((card) => [...failurePolicyProblems(card), ...alertProblems(card)]);
}

export const cardFailurePolicies: StackValidationPolicy = {
    name: "observability/card-failure-policies",
    description: "Every dependency a topology card names has a failure policy (timeout, bounded idempotent-only retry with a budget, circuit breaker, degradation), and every card alert has a signal (case study §26.7).",
    enforcementLevel: "mandatory",
    validateStack: (_args, report) => {
        for (const p of cardProblems(catalog)) {
            report(p);
        }
    },
};

export const observabilityPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [scrapeCardinality, sloAlerts, edgeRoutePolicies, cardFailurePolicies];
