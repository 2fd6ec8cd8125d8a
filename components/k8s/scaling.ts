import { K8sRole, K8sServiceCard, ReplicaRange, ScalingTrigger } from "../../data/catalog/types";
import { ClusterServices } from "../contracts";
import { workloadName } from "../../data/naming/k8s";

/** KEDA's ScaledObject triggers (keda.sh/v1alpha1) for the card's triggers. */
export interface KedaTrigger {
    readonly type: string;
    readonly name: string;
    readonly metricType?: string;
    readonly metadata: Record<string, string>;
}

/**
 * The NATS account KEDA reads JetStream consumer state from (`/jsz?accounts=true`) when the platform
 * does not name one: the platform's NATS puts every service user in the `APP` account.
 */
export const defaultNatsAccount = "APP";

/**
 * The HPA's default tolerance (kube-controller-manager `--horizontal-pod-autoscaler-tolerance`): it
 * changes the replica count only when metric / target leaves [0.9, 1.1]. The per-HPA tolerance field
 * (KEP-4951) is alpha in Kubernetes 1.33–1.34, which EKS does not enable, so targets account for it.
 */
export const hpaTolerance = 0.1;

/** How KEDA is told a trigger's number: the HPA metric type and its target. */
export interface RenderedTarget {
    readonly metricType: "AverageValue" | "Value";
    readonly target: number;
}

/** Down to 3 decimals (KEDA turns a Prometheus threshold into milli-units), or to an integer. */
function floorTo(x: number, integer: boolean): number {
    return integer ? Math.floor(x) : Math.floor(x * 1000) / 1000;
}

/**
 * The target that makes the first scale-up happen at the document's number, given the role's
 * minimum. HPA arithmetic (T = target, m = minReplicas, tolerance 0.1):
 * - `Value`: desired = ceil(m × metric / T), acting once metric / T > 1.1 → first scale-up at 1.1 × T.
 * - `AverageValue`: desired = ceil(metric / T), acting once metric / (m × T) > 1.1 → first at 1.1 × m × T.
 * `per-pod`: AverageValue with the document's number per replica (the HPA's own meaning of a target).
 * `backlog`: Value with T = N / 1.1: first scale-up at N whatever m is; more replicas drain it, so
 *   Value's multiplicative step keeps adding replicas only while the backlog stays above N.
 * `rate`: AverageValue with T = N / (1.1 × m): first scale-up at N in total; a rate does not fall as
 *   replicas are added, so Value would climb to the maximum — per replica is the stable form.
 * KEDA's `activationThreshold` only decides 0 ↔ 1 replicas; every role here has minReplicas ≥ 1.
 */
export function renderedTarget(t: Exclude<ScalingTrigger, { kind: "cpu" }>, minReplicas: number): RenderedTarget {
    const n = t.kind === "prometheus" ? t.threshold : t.lagThreshold;
    // JetStream's lagThreshold is an integer (KEDA parses it with ParseInt).
    const integer = t.kind === "nats-jetstream";
    switch (t.scope) {
        case "per-pod":
            return { metricType: "AverageValue", target: n };
        case "backlog":
            return { metricType: "Value", target: floorTo(n / (1 + hpaTolerance), integer) };
        case "rate":
            return { metricType: "AverageValue", target: floorTo(n / ((1 + hpaTolerance) * Math.max(1, minReplicas)), integer) };
    }
}

/**
 * The total metric value past which the HPA first adds a replica above `minReplicas` (pure model of
 * the HPA's arithmetic above); for `per-pod` triggers it is the per-replica number times the minimum.
 */
export function firstScaleUpAt(r: RenderedTarget, minReplicas: number): number {
    const factor = 1 + hpaTolerance;
    return r.metricType === "Value" ? factor * r.target : factor * r.target * minReplicas;
}

/** Problems with a role's triggers in one environment (pure): a backlog or rate trigger needs a running replica. */
export function scalingProblems(id: string, role: K8sRole, range: ReplicaRange): string[] {
    const problems: string[] = [];
    for (const t of role.scaling) {
        if (t.kind !== "cpu" && t.scope !== "per-pod" && range.min < 1) {
            // From zero, KEDA's activation (not the HPA) decides: the document's number would need activationThreshold.
            problems.push(`${id}: a ${t.scope} trigger needs minReplicas ≥ 1 (has ${range.min})`);
        }
    }
    return problems;
}

export function kedaTrigger(t: ScalingTrigger, cluster: ClusterServices, minReplicas: number): KedaTrigger {
    switch (t.kind) {
        case "cpu":
            return { type: "cpu", name: "cpu", metricType: "Utilization", metadata: { value: String(t.targetUtilizationPercent) } };
        case "prometheus": {
            const r = renderedTarget(t, minReplicas);
            return {
                type: "prometheus",
                name: t.metric.replace(/_/g, "-"),
                metricType: r.metricType,
                metadata: { serverAddress: cluster.prometheusUrl, query: t.query, threshold: String(r.target) },
            };
        }
        case "nats-jetstream": {
            const r = renderedTarget(t, minReplicas);
            return {
                type: "nats-jetstream",
                name: `${t.consumer}-lag`,
                metricType: r.metricType,
                metadata: {
                    natsServerMonitoringEndpoint: cluster.natsMonitoringEndpoint,
                    account: cluster.natsAccount ?? defaultNatsAccount,
                    stream: t.stream,
                    consumer: t.consumer,
                    lagThreshold: String(r.target),
                },
            };
        }
    }
}

/** Does the role get an autoscaler in this environment? (Triggers, and room to scale.) */
export function isAutoscaled(role: K8sRole, range: ReplicaRange): boolean {
    return role.runtime === "deployment" && role.scaling.length > 0 && range.max > range.min;
}

/**
 * The ScaledObject spec of a role. KEDA owns the HPA it creates; naming it after the workload
 * makes it literally `HPA/<short>-<role>` (seeds/000 §2: HPA/assignment-api, HPA/assignment-worker).
 */
export function scaledObjectSpec(card: K8sServiceCard, role: K8sRole, range: ReplicaRange, cluster: ClusterServices) {
    const name = workloadName(card, role);
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicaCount: range.min,
        maxReplicaCount: range.max,
        pollingInterval: 15,
        cooldownPeriod: 300,
        advanced: {
            horizontalPodAutoscalerConfig: {
                name,
                behavior: {
                    // Scale up fast (queues, traffic spikes); scale down slowly so a burst does not flap.
                    scaleUp: {
                        stabilizationWindowSeconds: 0,
                        selectPolicy: "Max",
                        policies: [
                            { type: "Percent", value: 100, periodSeconds: 30 },
                            { type: "Pods", value: 4, periodSeconds: 30 },
                        ],
                    },
                    scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 25, periodSeconds: 60 }] },
                },
            },
        },
        triggers: role.scaling.map((t) => kedaTrigger(t, cluster, range.min)),
    };
}
