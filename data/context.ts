import { TopologyCard } from "./catalog/types";
import { StackConfig } from "./config";
import { EnvironmentProfile, environmentProfiles } from "./profiles";
import { ResolvedReplicas, resolveReplicas } from "./replicas";

/** What each cloud's composition and the capacity model receive. Pure data. */
export interface DeployContext {
    readonly config: StackConfig;
    readonly profile: EnvironmentProfile;
    readonly catalog: readonly TopologyCard[];
    readonly replicas: ResolvedReplicas;
}

export function deployContext(config: StackConfig, catalog: readonly TopologyCard[]): DeployContext {
    return {
        config,
        profile: environmentProfiles[config.environment],
        catalog,
        replicas: resolveReplicas(catalog, config.environment, config.replicaOverrides),
    };
}
