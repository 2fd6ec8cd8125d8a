import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Environment } from "../../data/catalog/types";
import { standardTags } from "../../data/naming/tags";

/** A service's criticality (its card) → the scheduling priority of its pods (case study §18: traffic classes). */
export type Criticality = "critical" | "high" | "medium";

/**
 * Priorities well below the system classes (2 000 000 000+), so platform DaemonSets and
 * kube-system always win. Critical pods may preempt lower ones under pressure; medium never
 * preempts anyone (it waits for the autoscaler instead).
 */
export const priorityClassSpecs: Readonly<Record<Criticality, { readonly name: string; readonly value: number; readonly preemptionPolicy: "PreemptLowerPriority" | "Never"; readonly description: string }>> = {
    critical: { name: "learning-platform-critical", value: 100000, preemptionPolicy: "PreemptLowerPriority", description: "Critical services (customer-facing command paths)" },
    high: { name: "learning-platform-high", value: 50000, preemptionPolicy: "PreemptLowerPriority", description: "High-criticality services" },
    medium: { name: "learning-platform-medium", value: 10000, preemptionPolicy: "Never", description: "Medium-criticality services; never preempts" },
};

export interface PriorityClassesArgs {
    readonly environment: Environment;
    readonly owner: string;
}

/**
 * The cluster's PriorityClasses for service workloads, once per cluster (they are cluster-scoped,
 * so no ServiceWorkload may own them). Hand `names` to the workloads through
 * `ClusterServices.priorityClassNames`; a workload sets a priorityClassName only when the platform
 * says the classes exist, so pods are never admitted against a missing class.
 */
export class PriorityClasses extends pulumi.ComponentResource {
    /** PriorityClass name per criticality. */
    readonly names: Readonly<Record<Criticality, string>>;

    constructor(name: string, args: PriorityClassesArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
        super("learning-platform:k8s:PriorityClasses", name, {}, opts);
        const labels = { ...standardTags({ environment: args.environment, owner: args.owner, service: "platform" }), "app.kubernetes.io/managed-by": "pulumi" };
        for (const [criticality, spec] of Object.entries(priorityClassSpecs)) {
            new k8s.scheduling.v1.PriorityClass(
                `${name}-${criticality}`,
                { metadata: { name: spec.name, labels }, value: spec.value, preemptionPolicy: spec.preemptionPolicy, globalDefault: false, description: spec.description },
                { parent: this, provider: opts.provider },
            );
        }
        this.names = { critical: priorityClassSpecs.critical.name, high: priorityClassSpecs.high.name, medium: priorityClassSpecs.medium.name };
        this.registerOutputs({ names: this.names });
    }
}
