import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { standardTags } from "../components/shared/tags";
import { DeployContext } from "./context";

/** One explicit AWS provider per region, with the default tags every resource inherits. */
export function awsProvider(ctx: DeployContext, region: string): aws.Provider {
    const { config } = ctx;
    return new aws.Provider(`aws-${region}`, {
        region: region as aws.Region,
        allowedAccountIds: [config.aws.accountId],
        defaultTags: {
            tags: { ...standardTags({ environment: config.environment, owner: config.owner, service: "platform" }), residency: config.residency },
        },
    });
}

export function deployAws(ctx: DeployContext): { outputs: Record<string, pulumi.Input<unknown>> } {
    const regions: Record<string, pulumi.Input<unknown>> = {};
    for (const r of ctx.config.aws.regions) {
        awsProvider(ctx, r.region);
        regions[r.region] = { role: r.role };
    }
    return { outputs: regions };
}
