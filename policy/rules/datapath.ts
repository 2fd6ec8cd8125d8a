import { ResourceValidationPolicy } from "@pulumi/policy";
import { isProtectedEnvironment, obj } from "./util";

/**
 * The data path's rules (issue 14): JetStream streams replicated and durable where state is kept.
 */

export const jetStreamStreamReplicas: ResourceValidationPolicy = {
    name: "datapath/jetstream-stream-replicas",
    description: "In staging and prod every JetStream stream keeps 3 replicas on file storage and survives deletion of its resource (seed 000 §9: JetStream replication counts in the RPO).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "kubernetes:jetstream.nats.io/v1beta2:Stream" || !isProtectedEnvironment(args)) {
            return;
        }
        const spec = obj(args.props.spec);
        const problems: string[] = [];
        if (typeof spec.replicas !== "number" || spec.replicas < 3) {
            problems.push(`replicas ${String(spec.replicas)} (needs 3)`);
        }
        if (spec.storage !== "file") {
            problems.push(`storage ${String(spec.storage)} (needs file)`);
        }
        if (spec.preventDelete !== true) {
            problems.push("preventDelete is not set");
        }
        if (problems.length > 0) {
            report(`stream ${String(spec.name)}: ${problems.join(", ")}`);
        }
    },
};

export const datapathPolicies: ResourceValidationPolicy[] = [jetStreamStreamReplicas];
