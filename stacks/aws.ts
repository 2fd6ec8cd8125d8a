import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { k8sServices } from "../data/catalog";
import { AwsRegionalPlatform, GlobalDatabaseRef } from "../components/aws/platform";
import { CrossCloudEndpoint } from "../components/contracts";
import { ServiceWorkload } from "../components/k8s/service-workload";
import { standardTags } from "../data/naming/tags";
import { DeployContext } from "../data/context";
import { AwsRegionHandle } from "./interconnect";
import { PipelineAccess } from "./pipeline";
import { awsProfiles, vpcCidrFor } from "../data/profiles/aws";
import { cdnAllowed } from "../data/cdn";
import { AnalyticsFirehose, FirehoseReplicator } from "../components/aws/msk";
import { firehoseTopics } from "../data/profiles/firehose";

const knownRegions: readonly string[] = Object.values(aws.Region);

/** A region the provider SDK knows (the config loader has already checked it against the residency zone). */
export function isAwsRegion(region: string): region is aws.Region {
    return knownRegions.includes(region);
}

/** One explicit AWS provider per region, with the default tags every resource inherits. */
export function awsProvider(ctx: DeployContext, region: string): aws.Provider {
    const { config } = ctx;
    if (!isAwsRegion(region)) {
        throw new Error(`stack "${config.stack}": AWS region "${region}" is not one the AWS provider knows`);
    }
    return new aws.Provider(`aws-${region}`, {
        region,
        allowedAccountIds: [config.aws.accountId],
        defaultTags: {
            tags: { ...standardTags({ environment: config.environment, owner: config.owner, service: "platform" }), residency: config.residency },
        },
    });
}

/** Path prefix of the xAPI ingest the WAF guards (progress-service edge rule: allowlisted LRS IP AND API key). */
export const xapiIngestPath = "/xapi/statements";

/** Regions in deployment order: active first, so a passive region can join their global databases. */
export function regionOrder(ctx: DeployContext): DeployContext["config"]["aws"]["regions"] {
    return [...ctx.config.aws.regions].sort((a, b) => (a.role === b.role ? 0 : a.role === "active" ? -1 : 1));
}

/** Checks before any resource: every region has a known, distinct VPC range. */
export function validateAwsContext(ctx: DeployContext): string[] {
    const problems: string[] = [];
    const seen = new Map<string, string>();
    for (const r of ctx.config.aws.regions) {
        const cidr = vpcCidrFor(r.region);
        if (!cidr) {
            problems.push(`aws region ${r.region}: no VPC range assigned (data/profiles/aws.ts)`);
            continue;
        }
        if (seen.has(cidr)) {
            problems.push(`aws regions ${seen.get(cidr)} and ${r.region} share ${cidr}`);
        }
        seen.set(cidr, r.region);
    }
    return problems;
}

/**
 * Per AWS region: provider, regional platform, then each EKS service's workload on it. A stack with
 * a passive region makes the first active region's databases Aurora global primaries and the
 * passive region's their secondaries. `crossCloud`: the stack's services on GCP (stacks/interconnect.ts),
 * for the workloads' config and egress; the returned `regions` feed the cross-cloud VPN. `pipeline`:
 * the deployment runners' addresses, the only clients of the EKS public endpoints.
 */
export function deployAws(
    ctx: DeployContext,
    crossCloud: Readonly<Record<string, CrossCloudEndpoint>>,
    pipeline: PipelineAccess,
): { outputs: Record<string, pulumi.Input<unknown>>; regions: Record<string, AwsRegionHandle> } {
    const problems = validateAwsContext(ctx);
    if (problems.length > 0) {
        throw new Error(`AWS configuration of stack ${ctx.config.stack}:\n  - ${problems.join("\n  - ")}`);
    }
    const { config } = ctx;
    const cards = k8sServices(ctx.catalog);
    const awsProfile = awsProfiles[config.environment];
    const hasPassive = config.aws.regions.some((r) => r.role === "passive");
    // The passive regions replicate the first active region (the tenants' home); other active regions stand alone.
    const primary = regionOrder(ctx)[0].region;
    let globals: Record<string, GlobalDatabaseRef> | undefined;
    const outputs: Record<string, pulumi.Input<unknown>> = {};
    const regions: Record<string, AwsRegionHandle> = {};
    const randomProvider = new random.Provider("random-aws", {});
    // CloudFront's certificate, its WAF (CLOUDFRONT scope) and log delivery exist only in us-east-1 (components/aws/cdn.ts).
    // Only where the residency zone allows CloudFront (data/cdn.ts).
    const edgeProvider = cdnAllowed(config.residency)
        ? new aws.Provider("aws-edge-us-east-1", {
              region: "us-east-1",
              allowedAccountIds: [config.aws.accountId],
              defaultTags: { tags: { ...standardTags({ environment: config.environment, owner: config.owner, service: "platform" }), residency: config.residency } },
          })
        : undefined;

    const firehoses: { firehose: AnalyticsFirehose; provider: aws.Provider }[] = [];
    for (const r of regionOrder(ctx)) {
        const provider = awsProvider(ctx, r.region);
        const platform = new AwsRegionalPlatform(
            r.region,
            {
                environment: config.environment,
                accountId: config.aws.accountId,
                owner: config.owner,
                region: r.region,
                role: r.role,
                domain: config.domain,
                vpcCidr: vpcCidrFor(r.region) ?? "",
                // The pipeline runners' NAT addresses first, then any operator ranges of the stack file.
                apiAccessCidrs: [...new Set([...pipeline.runnerEgressCidrs, ...config.aws.apiAccessCidrs])],
                lrsAllowCidrs: config.aws.lrsAllowCidrs,
                cards,
                replicas: ctx.replicas,
                profile: ctx.profile,
                awsProfile,
                globalPrimary: hasPassive && r.region === primary,
                globalDatabases: r.role === "passive" ? globals : undefined,
                randomProvider,
                adminRoleArn: `arn:aws:iam::${config.aws.accountId}:role/platform-admin`,
                xapiIngestPath,
                features: config.features,
                flagdImage: config.images["flagd"],
                cdn: edgeProvider && { edgeProvider, residency: config.residency },
            },
            { provider },
        );
        if (platform.firehose) {
            firehoses.push({ firehose: platform.firehose, provider });
        }
        if (r.region === primary && hasPassive) {
            globals = { ...platform.globalDatabases };
        }
        for (const card of cards) {
            new ServiceWorkload(
                `${card.service}-${r.region}`,
                { card, environment: config.environment, owner: config.owner, replicas: ctx.replicas, image: config.images[card.imageKey], platform: platform.handle, crossCloud, features: config.features },
                { provider: platform.handle.k8sProvider, dependsOn: [...platform.handle.crdsReady] },
            );
        }
        outputs[r.region] = {
            role: r.role,
            clusterName: platform.clusterName,
            clusterEndpoint: platform.clusterEndpoint,
            albDnsName: platform.albDnsName,
            redisEndpoint: platform.redisEndpoint,
            databases: Object.fromEntries(Object.entries(platform.databases).map(([svc, db]) => [svc, { writer: db.writerEndpoint, reader: db.readerEndpoint }])),
            nodeGroups: platform.nodeGroupSizes,
            secretsPendingValues: platform.secretsPendingValues,
        };
        regions[r.region] = { provider, vpcId: platform.network.vpcId, privateRouteTableIds: platform.network.privateRouteTableIds };
    }
    // The analytics region is the first active one (the tenants' home); MSK Replicator feeds it from every
    // other active region of the stack, all inside its residency zone (seed 003 §8).
    const [analytics, ...others] = firehoses;
    for (const other of others) {
        new FirehoseReplicator(
            `firehose-${other.firehose.region}-to-${analytics.firehose.region}`,
            { environment: config.environment, accountId: config.aws.accountId, source: other.firehose, target: analytics.firehose, topics: firehoseTopics },
            { provider: analytics.provider },
        );
    }
    return { outputs, regions };
}
