import { TopologyCard } from "../catalog/types";
import { StackConfig } from "./config";
import { EnvironmentProfile } from "./profiles";
import { ResolvedReplicas } from "./replicas";

/** What each cloud's composition receives from the program. */
export interface DeployContext {
    readonly config: StackConfig;
    readonly profile: EnvironmentProfile;
    readonly catalog: readonly TopologyCard[];
    readonly replicas: ResolvedReplicas;
}
