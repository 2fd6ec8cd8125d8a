import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FirehoseProfile } from "../../data/profiles/firehose";

/**
 * The analytics firehose (seed 003 §8: "analytics firehose cross-region via Kafka MirrorMaker"):
 * Amazon MSK per active region — TLS between clients and brokers and inside the cluster, at rest under
 * the program's database CMK (MSK Serverless cannot take a CMK), IAM access control only — and MSK
 * Replicator, AWS's managed MirrorMaker, from every other active region into the analytics region.
 */

/** `arn:aws:kafka:<r>:<a>:cluster/<name>/<uuid>` → the ARN of one of its topics or groups (`*` for all; IAM access control's resource form). */
export function kafkaResourceArnOf(clusterArn: string, kind: "topic" | "group", name: string): string {
    const [prefix, rest] = clusterArn.split(":cluster/");
    return `${prefix}:${kind}/${rest}/${name}`;
}

export function topicArnOf(clusterArn: string, topic: string): string {
    return kafkaResourceArnOf(clusterArn, "topic", topic);
}

/** Kafka's client port with IAM (SASL/IAM over TLS). */
export const kafkaIamPort = 9098;

export function validateFirehose(p: FirehoseProfile, zones: number): string[] {
    const problems: string[] = [];
    if (p.brokers % zones !== 0) {
        problems.push(`${p.brokers} brokers do not spread evenly over ${zones} zones (MSK needs a multiple)`);
    }
    if (p.volumeGb < 1 || p.volumeGb > 16384) {
        problems.push(`volume ${p.volumeGb} GB outside 1–16384`);
    }
    return problems;
}

export interface AnalyticsFirehoseArgs {
    readonly environment: string;
    readonly region: string;
    readonly vpcId: pulumi.Input<string>;
    readonly vpcCidr: string;
    /** Private subnets, one per zone (brokers need a route to nothing; the cluster SG admits the EKS cluster). */
    readonly subnetIds: pulumi.Input<string>[];
    readonly clientSecurityGroupId: pulumi.Input<string>;
    readonly keyArn: pulumi.Input<string>;
    readonly logsKeyArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
    readonly profile: FirehoseProfile;
    readonly protect: boolean;
}

/** One region's MSK cluster. */
export class AnalyticsFirehose extends pulumi.ComponentResource {
    readonly cluster: aws.msk.Cluster;
    readonly securityGroupId: pulumi.Output<string>;
    readonly subnetIds: pulumi.Input<string>[];
    readonly region: string;
    /** SASL/IAM bootstrap brokers (TLS, port 9098): what producers connect to. */
    readonly bootstrapBrokers: pulumi.Output<string>;

    constructor(name: string, args: AnalyticsFirehoseArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:AnalyticsFirehose", name, {}, opts);
        const problems = validateFirehose(args.profile, args.subnetIds.length);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`analytics firehose:\n  - ${problems.join("\n  - ")}`, this);
        }
        const o = { parent: this, provider: opts.provider };
        const tags = { service: "analytics-firehose" };
        this.region = args.region;
        this.subnetIds = args.subnetIds;
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `analytics firehose ${args.environment}: Kafka (IAM, TLS) from the EKS cluster and the replicator`,
                ingress: [
                    { protocol: "tcp", fromPort: kafkaIamPort, toPort: kafkaIamPort, securityGroups: [args.clientSecurityGroupId], description: "EKS nodes and pods" },
                    { protocol: "tcp", fromPort: kafkaIamPort, toPort: kafkaIamPort, self: true, description: "MSK Replicator interfaces and brokers" },
                ],
                egress: [{ protocol: "tcp", fromPort: kafkaIamPort, toPort: kafkaIamPort, self: true, description: "brokers and replicator" }],
                tags,
            },
            o,
        );
        this.securityGroupId = sg.id;
        const logs = new aws.cloudwatch.LogGroup(`${name}-broker-logs`, { name: `/aws/msk/analytics-${args.environment}-${args.region}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn, tags }, o);
        const config = new aws.msk.Configuration(
            `${name}-config`,
            {
                name: `analytics-${args.environment}-${args.region}`,
                kafkaVersions: [args.profile.kafkaVersion],
                description: "Analytics firehose: no auto-created topics, three replicas, two in sync",
                serverProperties: ["auto.create.topics.enable=false", "default.replication.factor=3", "min.insync.replicas=2", `log.retention.hours=${args.profile.retentionHours}`].join("\n"),
            },
            o,
        );
        this.cluster = new aws.msk.Cluster(
            `${name}-cluster`,
            {
                clusterName: `analytics-${args.environment}-${args.region}`,
                kafkaVersion: args.profile.kafkaVersion,
                numberOfBrokerNodes: args.profile.brokers,
                brokerNodeGroupInfo: {
                    instanceType: args.profile.instanceType,
                    clientSubnets: args.subnetIds,
                    securityGroups: [sg.id],
                    storageInfo: { ebsStorageInfo: { volumeSize: args.profile.volumeGb } },
                    connectivityInfo: { publicAccess: { type: "DISABLED" } },
                },
                configurationInfo: { arn: config.arn, revision: config.latestRevision },
                encryptionInfo: { encryptionAtRestKmsKeyArn: args.keyArn, encryptionInTransit: { clientBroker: "TLS", inCluster: true } },
                clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
                enhancedMonitoring: "PER_TOPIC_PER_BROKER",
                openMonitoring: { prometheus: { jmxExporter: { enabledInBroker: true }, nodeExporter: { enabledInBroker: true } } },
                loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: logs.name } } },
                tags,
            },
            { ...o, protect: args.protect },
        );
        this.bootstrapBrokers = this.cluster.bootstrapBrokersSaslIam;
        this.registerOutputs({ clusterArn: this.cluster.arn, bootstrapBrokers: this.bootstrapBrokers });
    }
}

export interface FirehoseReplicatorArgs {
    readonly environment: string;
    readonly accountId: string;
    readonly source: AnalyticsFirehose;
    readonly target: AnalyticsFirehose;
    /** Topics replicated (the firehose's). */
    readonly topics: readonly string[];
}

/**
 * MSK Replicator from one active region's cluster into the analytics region's (both inside the stack's
 * residency zone). It runs in the target region with its own interfaces in both clusters' subnets, so
 * no VPC peering is needed; it authenticates to both with IAM through its execution role.
 */
export class FirehoseReplicator extends pulumi.ComponentResource {
    readonly replicator: aws.msk.Replicator;

    constructor(name: string, args: FirehoseReplicatorArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:FirehoseReplicator", name, {}, opts);
        const o = { parent: this, provider: opts.provider };
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `MSK Replicator ${args.source.region} to ${args.target.region}`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "kafka.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": args.accountId } } }],
                }),
            },
            o,
        );
        const topicArn = (cluster: aws.msk.Cluster) => cluster.arn.apply((a) => kafkaResourceArnOf(a, "topic", "*"));
        const groupArn = (cluster: aws.msk.Cluster) => cluster.arn.apply((a) => kafkaResourceArnOf(a, "group", "*"));
        new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Sid: "Clusters", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:AlterCluster", "kafka-cluster:DescribeClusterDynamicConfiguration"], Resource: [args.source.cluster.arn, args.target.cluster.arn] },
                        { Sid: "ReadSource", Effect: "Allow", Action: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration"], Resource: [topicArn(args.source.cluster)] },
                        {
                            Sid: "WriteTarget",
                            Effect: "Allow",
                            Action: ["kafka-cluster:WriteData", "kafka-cluster:CreateTopic", "kafka-cluster:AlterTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration"],
                            Resource: [topicArn(args.target.cluster)],
                        },
                        { Sid: "Groups", Effect: "Allow", Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], Resource: [groupArn(args.source.cluster), groupArn(args.target.cluster)] },
                    ],
                }),
            },
            o,
        );
        const cluster = (f: AnalyticsFirehose) => ({ amazonMskCluster: { mskClusterArn: f.cluster.arn }, vpcConfig: { subnetIds: f.subnetIds, securityGroupsIds: [f.securityGroupId] } });
        this.replicator = new aws.msk.Replicator(
            `${name}-replicator`,
            {
                replicatorName: `analytics-${args.environment}-${args.source.region}`.slice(0, 128),
                description: `Analytics firehose ${args.source.region} to ${args.target.region}`,
                serviceExecutionRoleArn: role.arn,
                kafkaClusters: [cluster(args.source), cluster(args.target)],
                replicationInfoList: {
                    sourceKafkaClusterArn: args.source.cluster.arn,
                    targetKafkaClusterArn: args.target.cluster.arn,
                    targetCompressionType: "ZSTD",
                    topicReplications: [
                        {
                            topicsToReplicates: [...args.topics],
                            copyTopicConfigurations: true,
                            copyAccessControlListsForTopics: true,
                            detectAndCopyNewTopics: false,
                            startingPosition: { type: "EARLIEST" },
                        },
                    ],
                    consumerGroupReplications: [{ consumerGroupsToReplicates: [".*"], synchroniseConsumerGroupOffsets: true, detectAndCopyNewConsumerGroups: true }],
                },
            },
            o,
        );
        this.registerOutputs({ replicatorArn: this.replicator.arn });
    }
}
