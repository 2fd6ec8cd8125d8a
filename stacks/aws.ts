import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { k8sServices } from "../data/catalog";
import { AwsRegionalPlatform, GlobalDatabaseRef } from "../components/aws/platform";
import { CrossCloudEndpoint } from "../components/contracts";
import { ServiceWorkload } from "../components/k8s/service-workload";
import { ServiceObservability } from "../components/k8s/observability";
import { standardTags } from "../data/naming/tags";
import { DeployContext } from "../data/context";
import { AwsRegionHandle } from "./interconnect";
import { PipelineAccess } from "./pipeline";
import { awsProfiles, auroraEngineVersion, vpcCidrFor } from "../data/profiles/aws";
import { auroraCopyMechanism, awsCopyPlan, dnsPlan, homeHostname, homesOf, validateCopyPlan } from "../data/residency";
import { RegionCopies } from "../components/aws/region-copies";
import { TenantDirectory } from "../components/aws/tenant-directory";
import { bucketName } from "../components/aws/service-binding";
import { cdnAllowed } from "../data/cdn";
import { AnalyticsFirehose, FirehoseReplicator } from "../components/aws/msk";
import { firehoseTopics } from "../data/profiles/firehose";
import { JetStreamLinkArgs } from "../components/aws/platform";
import { RegionPeering, validateRegionPeering } from "../components/aws/region-peering";
import { jetStreamLinksOf } from "../data/jetstream-mirror";

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
    problems.push(...validateCopyPlan(awsCopyPlan(ctx.config.environment, ctx.config.aws.regions)));
    for (const l of jetStreamLinksOf(ctx.config.aws.regions)) {
        problems.push(...validateRegionPeering({ region: l.hub, cidr: vpcCidrFor(l.hub) ?? "" }, { region: l.leaf, cidr: vpcCidrFor(l.leaf) ?? "" }));
    }
    return problems;
}

/**
 * Per AWS region: provider, regional platform, then each EKS service's workload on it. A stack with
 * a passive region makes the first active region's databases Aurora global primaries and the
 * passive region's their secondaries. Then each home's copies inside the zone (data/residency.ts:
 * headless secondaries, AWS Backup copies, S3 replication) and, with several homes, the tenant
 * directory; each region's edge publishes only its home's DNS records. `crossCloud`: the stack's services on GCP (stacks/interconnect.ts),
 * for the workloads' config and egress; the returned `regions` feed the cross-cloud VPN. `pipeline`:
 * the deployment runners' addresses, the only clients of the EKS public endpoints.
 */
export function deployAws(
    ctx: DeployContext,
    crossCloud: Readonly<Record<string, CrossCloudEndpoint>>,
    pipeline: PipelineAccess,
): { outputs: Record<string, pulumi.Input<unknown>>; regions: Record<string, AwsRegionHandle>; roleArns: Record<string, pulumi.Output<string>[]> } {
    const problems = validateAwsContext(ctx);
    if (problems.length > 0) {
        throw new Error(`AWS configuration of stack ${ctx.config.stack}:\n  - ${problems.join("\n  - ")}`);
    }
    const { config } = ctx;
    const cards = k8sServices(ctx.catalog);
    const awsProfile = awsProfiles[config.environment];
    // The passive regions replicate the first active region (its home); every other active region is a home of its own.
    const primary = regionOrder(ctx)[0].region;
    const homes = homesOf(config.aws.regions);
    const records = dnsPlan(config.aws.regions, config.domain);
    // Each home's databases are copied inside the zone (data/residency.ts): a global database where
    // the copy region has a platform, AWS Backup copies where it has none.
    const copies = awsCopyPlan(config.environment, config.aws.regions);
    const globalSources = new Set(copies.filter((c) => auroraCopyMechanism(c) === "aurora-global").map((c) => c.source));
    // A home with a passive region is always a global primary (the passive region joins it), copies or not.
    for (const h of homes.filter((x) => x.passives.length > 0)) {
        globalSources.add(h.active);
    }
    let globals: Record<string, GlobalDatabaseRef> | undefined;
    const platforms: Record<string, AwsRegionalPlatform> = {};
    const providers: Record<string, aws.Provider> = {};
    const outputs: Record<string, pulumi.Input<unknown>> = {};
    const regions: Record<string, AwsRegionHandle> = {};
    // Each service's IRSA role per region: the identity a Cloud Run service admits it by (issue 15).
    const roleArns: Record<string, pulumi.Output<string>[]> = {};
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
    // Each passive region mirrors its home's active region's JetStream streams over a leaf link (peered VPCs).
    const links = jetStreamLinksOf(config.aws.regions);
    const jetStreamLinkOf = (region: string): JetStreamLinkArgs | undefined => {
        const leaves = links.filter((l) => l.hub === region);
        const asLeaf = links.find((l) => l.leaf === region);
        const hubHandle = asLeaf ? platforms[asLeaf.hub]?.leafnodeHub : undefined;
        if (asLeaf && !hubHandle) {
            throw new Error(`stack ${config.stack}: passive region ${region}'s hub ${asLeaf.hub} has no leaf-node listener`);
        }
        if (leaves.length === 0 && !asLeaf) {
            return undefined;
        }
        return {
            hub: leaves.length > 0 ? { leafRegions: leaves.map((l) => l.leaf), peerCidrs: leaves.map((l) => vpcCidrFor(l.leaf) ?? "") } : undefined,
            leaf: asLeaf && hubHandle ? { hubRegion: asLeaf.hub, hub: hubHandle } : undefined,
        };
    };
    for (const r of regionOrder(ctx)) {
        const provider = awsProvider(ctx, r.region);
        providers[r.region] = provider;
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
                globalPrimary: r.role === "active" && globalSources.has(r.region),
                globalDatabases: r.role === "passive" ? globals : undefined,
                // The first home keeps the plain identifiers; a second home's global databases carry its region.
                globalIdentifierSuffix: r.role === "active" && r.region !== primary ? `-${r.region}` : undefined,
                dnsRecords: records.filter((d) => d.region === r.region),
                randomProvider,
                adminRoleArn: `arn:aws:iam::${config.aws.accountId}:role/platform-admin`,
                xapiIngestPath,
                features: config.features,
                flagdImage: config.images["flagd"],
                cdn: edgeProvider && { edgeProvider, residency: config.residency },
                jetStreamLink: jetStreamLinkOf(r.region),
            },
            { provider },
        );
        platforms[r.region] = platform;
        if (platform.firehose) {
            firehoses.push({ firehose: platform.firehose, provider });
        }
        if (r.region === primary) {
            globals = { ...platform.globalDatabases };
        }
        for (const card of cards) {
            const workload = new ServiceWorkload(
                `${card.service}-${r.region}`,
                { card, environment: config.environment, owner: config.owner, replicas: ctx.replicas, image: config.images[card.imageKey], platform: platform.handle, crossCloud, features: config.features },
                { provider: platform.handle.k8sProvider, dependsOn: [...platform.handle.crdsReady] },
            );
            // SLO rules, alerts and dashboard from the card (issue 13).
            new ServiceObservability(
                `${card.service}-${r.region}-observability`,
                { card, environment: config.environment, owner: config.owner, replicas: ctx.replicas, cluster: platform.handle.cluster, namespace: workload.namespace, crdsReady: platform.handle.crdsReady },
                { provider: platform.handle.k8sProvider },
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
            imageSigningKeyArn: platform.signingKeyArn,
        };
        regions[r.region] = { provider, vpcId: platform.network.vpcId, privateRouteTableIds: platform.network.privateRouteTableIds };
        for (const [service, binding] of Object.entries(platform.handle.bindings)) {
            (roleArns[service] ??= []).push(binding.roleArn);
        }
    }

    for (const pair of copies) {
        const source = platforms[pair.source];
        const target = pair.targetInStack ? platforms[pair.target] : undefined;
        const targetIsPassive = config.aws.regions.some((r) => r.region === pair.target && r.role === "passive");
        const databaseCopy = auroraCopyMechanism(pair);
        const copy = new RegionCopies(
            `${pair.source}-copies`,
            {
                environment: config.environment,
                accountId: config.aws.accountId,
                source: pair.source,
                target: pair.target,
                databaseCopy,
                // A passive target already holds its home's global secondaries (with readers).
                databases: targetIsPassive
                    ? []
                    : cards
                          .filter((c) => c.database)
                          .map((c) => ({ service: c.service, databaseName: c.database?.name ?? c.service, clusterArn: source.databases[c.service].cluster.arn, global: source.globalDatabases[c.service] })),
                buckets: cards.flatMap((c) =>
                    c.buckets.map((b) => ({
                        service: c.service,
                        purpose: b.purpose,
                        sourceBucket: bucketName(config.environment, pair.source, c.service, b.purpose, config.aws.accountId),
                        targetBucket: target ? bucketName(config.environment, pair.target, c.service, b.purpose, config.aws.accountId) : undefined,
                        replicaBucketName: bucketName(config.environment, pair.target, c.service, b.purpose, config.aws.accountId),
                    })),
                ),
                targetHost: target?.copyHost,
                sourceDatabaseKeyArn: source.copyHost.keyArns.database,
                sourceObjectKeyArn: source.copyHost.keyArns["object-storage"],
                aurora: { engineVersion: auroraEngineVersion, ...awsProfile.aurora },
                backupRetentionDays: ctx.profile.backupRetentionDays,
                logRetentionDays: ctx.profile.logRetentionDays,
                kmsDeletionWindowDays: ctx.profile.kmsDeletionWindowDays,
                randomProvider,
                protect: ctx.profile.protectState,
                secretRecoveryDays: ctx.profile.protectState ? 30 : 7,
                after: [source, ...(target ? [target] : [])],
            },
            { provider: providers[pair.source], targetProvider: providers[pair.target] ?? awsProvider(ctx, pair.target) },
        );
        outputs[`${pair.source}-copies`] = { target: pair.target, databases: databaseCopy, secondaries: copy.secondaries, vault: copy.targetVaultArn };
    }

    // Several homes: tenants reach theirs by its hostname, found in the directory tenant-service keeps.
    for (const l of links) {
        const side = (region: string) => ({
            region,
            vpcId: platforms[region].network.vpcId,
            cidr: platforms[region].network.cidr,
            routeTableIds: platforms[region].network.privateRouteTableIds,
            provider: providers[region],
        });
        const peering = new RegionPeering(`${l.hub}-to-${l.leaf}-peering`, { requester: side(l.hub), accepter: side(l.leaf) });
        outputs[`${l.hub}-to-${l.leaf}-peering`] = { peeringConnectionId: peering.peeringConnectionId, mirror: `${l.leaf} mirrors ${l.hub}'s streams` };
    }

    if (homes.length > 1) {
        const first = homes[0].active;
        const directory = new TenantDirectory(
            "tenant-directory",
            {
                environment: config.environment,
                region: first,
                keyArn: platforms[first].copyHost.keyArns.database,
                replicas: homes.slice(1).map((h) => ({ region: h.active, keyArn: platforms[h.active].copyHost.keyArns.database })),
                protect: ctx.profile.protectState,
            },
            { provider: providers[first] },
        );
        outputs["tenantDirectory"] = { table: directory.tableName, homes: Object.fromEntries(homes.map((h) => [h.active, homeHostname(h.active, config.domain)])) };
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
    return { outputs, regions, roleArns };
}
