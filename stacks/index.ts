import * as pulumi from "@pulumi/pulumi";
import { catalog } from "../catalog";
import { deployAws } from "./aws";
import { deployGcp } from "./gcp";
import { loadStackConfig } from "./load";
import { environmentProfiles } from "./profiles";
import { resolveReplicas } from "./replicas";

/**
 * The program: validate the stack's config (before any resource exists), then compose the AWS
 * regional platforms with their service workloads and the GCP notification platform.
 */
export async function main(): Promise<Record<string, unknown>> {
    const config = loadStackConfig(catalog);
    const profile = environmentProfiles[config.environment];
    const replicas = resolveReplicas(catalog, config.environment, config.replicaOverrides);

    const aws = deployAws({ config, profile, catalog, replicas });
    const gcp = deployGcp({ config, profile, catalog, replicas });

    return {
        environment: config.environment,
        residency: config.residency,
        aws: aws.outputs,
        gcp: gcp.outputs,
        protectedState: pulumi.output(profile.protectState),
    };
}
