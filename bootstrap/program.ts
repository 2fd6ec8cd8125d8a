import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { standardTags } from "../data/naming/tags";
import { isAwsRegion } from "../stacks/aws";
import { readProjectConfig } from "../stacks/load";
import { environmentProfiles } from "../data/profiles";
import { BOOTSTRAP_PROJECT, parseBootstrapConfig } from "./config";
import { PipelineRunner } from "./runner";

/**
 * Where the main program's `pulumi preview/up` runs: CodeBuild-hosted GitHub Actions runners in a
 * runner VPC of the served stack's account and first active region. Exports the runners' egress
 * addresses (read by the main stack through a StackReference) and the workflow label.
 */
export async function main(): Promise<Record<string, unknown>> {
    const config = parseBootstrapConfig(pulumi.getStack(), readProjectConfig(BOOTSTRAP_PROJECT));
    const profile = environmentProfiles[config.environment];

    const region = config.aws.region;
    if (!isAwsRegion(region)) {
        throw new Error(`bootstrap stack "${config.stack}": AWS region "${region}" is not one the AWS provider knows`);
    }
    const provider = new aws.Provider(`aws-${region}`, {
        region,
        allowedAccountIds: [config.aws.accountId],
        defaultTags: { tags: { ...standardTags({ environment: config.environment, owner: config.owner, service: "pipeline" }), residency: config.residency } },
    });
    const runner = new PipelineRunner(
        "runner",
        {
            accountId: config.aws.accountId,
            region: config.aws.region,
            vpcCidr: config.aws.vpcCidr,
            projectName: config.projectName,
            repository: config.github.repository,
            connectionAuthorized: config.github.connectionAuthorized,
            logRetentionDays: profile.logRetentionDays,
            kmsDeletionWindowDays: profile.kmsDeletionWindowDays,
            protect: profile.protectState,
        },
        { provider },
    );
    return {
        serves: config.serves,
        region: config.aws.region,
        runnerEgressCidrs: runner.egressCidrs,
        runnerProject: config.projectName,
        runnerLabel: `codebuild-${config.projectName}-\${{ github.run_id }}-\${{ github.run_attempt }}`,
        connectionArn: runner.connectionArn,
        connectionStatus: runner.connectionStatus,
        vpcId: runner.vpcId,
    };
}
