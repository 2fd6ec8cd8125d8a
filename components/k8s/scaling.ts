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

export function kedaTrigger(t: ScalingTrigger, cluster: ClusterServices): KedaTrigger {
    switch (t.kind) {
        case "cpu":
            return { type: "cpu", name: "cpu", metricType: "Utilization", metadata: { value: String(t.targetUtilizationPercent) } };
        case "prometheus":
            // AverageValue: KEDA keeps query / replicas ≤ threshold; Value: keeps the query itself ≤ threshold.
            return {
                type: "prometheus",
                name: t.metric.replace(/_/g, "-"),
                metricType: t.perPod === false ? "Value" : "AverageValue",
                metadata: { serverAddress: cluster.prometheusUrl, query: t.query, threshold: String(t.threshold) },
            };
        case "nats-jetstream":
            return {
                type: "nats-jetstream",
                name: `${t.consumer}-lag`,
                metadata: {
                    natsServerMonitoringEndpoint: cluster.natsMonitoringEndpoint,
                    account: cluster.natsAccount ?? defaultNatsAccount,
                    stream: t.stream,
                    consumer: t.consumer,
                    lagThreshold: String(t.lagThreshold),
                },
            };
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
        triggers: role.scaling.map((t) => kedaTrigger(t, cluster)),
    };
}
