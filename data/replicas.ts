import { Environment, ReplicaRange, TopologyCard } from "./catalog/types";
import { StackConfig } from "./config";

/** Replica (or instance) bounds per `service/role` for one environment, after the stack's overrides. */
export type ResolvedReplicas = Readonly<Record<string, ReplicaRange>>;

export function resolveReplicas(cards: readonly TopologyCard[], environment: Environment, overrides: StackConfig["replicaOverrides"] = {}): ResolvedReplicas {
    const out: Record<string, ReplicaRange> = {};
    for (const card of cards) {
        for (const role of card.roles) {
            const key = `${card.service}/${role.name}`;
            const base = card.platform === "eks" ? (role as { replicas: Record<Environment, ReplicaRange> }).replicas[environment] : (role as { instances: Record<Environment, ReplicaRange> }).instances[environment];
            out[key] = overrides[key] ?? base;
        }
    }
    return out;
}
