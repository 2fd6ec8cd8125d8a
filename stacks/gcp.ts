import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { standardLabels } from "../components/shared/tags";
import { DeployContext } from "./context";

/** One explicit GCP provider per region: the stack's project, default labels. */
export function gcpProvider(ctx: DeployContext, region: string): gcp.Provider {
    const { config } = ctx;
    return new gcp.Provider(`gcp-${region}`, {
        project: config.gcp.project,
        region,
        defaultLabels: {
            ...standardLabels({ environment: config.environment, owner: config.owner, service: "notification-service" }),
            residency: config.residency,
        },
    });
}

export function deployGcp(ctx: DeployContext): { outputs: Record<string, pulumi.Input<unknown>> } {
    const regions: Record<string, pulumi.Input<unknown>> = {};
    for (const r of ctx.config.gcp.regions) {
        gcpProvider(ctx, r.region);
        regions[r.region] = { role: r.role };
    }
    return { outputs: regions };
}
