import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export interface RedisClusterArgs {
    /** Explicit provider of the `@pulumi/random` secrets. */
    readonly randomProvider: random.Provider;
    /** Environment (dev, staging, prod): names, tags and sizing. */
    readonly environment: string;
    /** AWS region of this platform. */
    readonly region: string;
    /** Redis OSS engine version (cluster mode enabled). */
    readonly engineVersion: string;
    /** ElastiCache node type (AWS profile). */
    readonly nodeType: string;
    /** Shards (node groups) of the cluster-mode-enabled group. */
    readonly shards: number;
    /** Replicas per shard (at least one, for Multi-AZ failover). */
    readonly replicasPerShard: number;
    /** The region's VPC. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated data subnets (no route out), one per zone. */
    readonly isolatedSubnetIds: pulumi.Input<string>[];
    /** The EKS cluster security group: the only source admitted on 6379. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /** CMK of the cache data class (at-rest encryption). */
    readonly cacheKeyArn: pulumi.Input<string>;
    /** CMK of the secrets data class (Secrets Manager). */
    readonly secretsKeyArn: pulumi.Input<string>;
    /** CMK of the logs data class (CloudWatch log groups). */
    readonly logsKeyArn: pulumi.Input<string>;
    /** Days log groups keep events (environment profile). */
    readonly logRetentionDays: number;
    /** Days daily snapshots are kept. */
    readonly snapshotRetentionDays: number;
    /** Daily snapshot window, UTC. */
    readonly snapshotWindow: string;
    /** Weekly maintenance window, UTC. */
    readonly maintenanceWindow: string;
    /** Deletion protection and Pulumi `protect` for stateful resources (staging/prod). */
    readonly protect: boolean;
    /** Secrets Manager recovery window (30 in staging/prod). */
    readonly secretRecoveryDays: number;
}

export const redisPort = 6379;
/** Characters ElastiCache accepts in an AUTH token besides alphanumerics (no /, ", @ or space). */
export const redisAuthSpecials = "!&#$^<>-";

export function validateRedisArgs(args: Pick<RedisClusterArgs, "shards" | "replicasPerShard" | "snapshotRetentionDays">): string[] {
    const problems: string[] = [];
    if (args.shards < 1 || args.shards > 500) {
        problems.push(`shards ${args.shards} outside 1–500`);
    }
    // Multi-AZ with automatic failover needs a replica in every shard.
    if (args.replicasPerShard < 1 || args.replicasPerShard > 5) {
        problems.push(`replicasPerShard ${args.replicasPerShard} outside 1–5 (Multi-AZ failover needs at least one)`);
    }
    if (args.snapshotRetentionDays < 1) {
        problems.push("snapshots must be retained at least one day");
    }
    return problems;
}

/**
 * The region's ElastiCache for Redis OSS (cluster mode enabled), shared by the services of the
 * region; each service keeps its keys under its own `<service>:` prefix (cluster mode has only db 0).
 */
export class RedisCluster extends pulumi.ComponentResource {
    readonly replicationGroup: aws.elasticache.ReplicationGroup;
    readonly configurationEndpoint: pulumi.Output<string>;
    readonly port = redisPort;
    /** The AUTH token (secret). */
    readonly authToken: pulumi.Output<string>;
    /** Secrets Manager secret holding the AUTH token, for operations. */
    readonly authSecretArn: pulumi.Output<string>;

    constructor(name: string, args: RedisClusterArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:RedisCluster", name, {}, opts);
        const problems = validateRedisArgs(args);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid Redis arguments:\n  - ${problems.join("\n  - ")}`, this);
        }
        const o = { parent: this, provider: opts.provider };
        const keep = { ...o, protect: args.protect };
        const id = `platform-${args.environment}`;

        const token = new random.RandomPassword(`${name}-auth-token`, { length: 64, special: true, overrideSpecial: redisAuthSpecials, minSpecial: 2 }, { parent: this, provider: args.randomProvider });
        this.authToken = pulumi.secret(token.result);
        const secret = new aws.secretsmanager.Secret(
            `${name}-auth-secret`,
            { name: `${args.environment}/platform/redis-auth-token`, description: "ElastiCache AUTH token", kmsKeyId: args.secretsKeyArn, recoveryWindowInDays: args.secretRecoveryDays },
            keep,
        );
        new aws.secretsmanager.SecretVersion(`${name}-auth-secret-value`, { secretId: secret.id, secretString: this.authToken }, o);
        this.authSecretArn = secret.arn;

        const subnetGroup = new aws.elasticache.SubnetGroup(`${name}-subnets`, { description: "isolated data subnets", subnetIds: args.isolatedSubnetIds }, o);
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: "Redis from the EKS cluster only",
                ingress: [{ protocol: "tcp", fromPort: redisPort, toPort: redisPort, securityGroups: [args.clientSecurityGroupId], description: "EKS nodes and pods" }],
                egress: [],
            },
            o,
        );
        const params = new aws.elasticache.ParameterGroup(
            `${name}-params`,
            {
                family: "redis7",
                description: "cluster mode enabled",
                parameters: [
                    { name: "cluster-enabled", value: "yes" },
                    // Keys without a TTL (locks, state) survive memory pressure; caches with TTLs are evicted first.
                    { name: "maxmemory-policy", value: "volatile-lru" },
                ],
            },
            o,
        );
        const slowLog = new aws.cloudwatch.LogGroup(`${name}-slow-log`, { name: `/aws/elasticache/${id}/slow-log`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn }, o);

        this.replicationGroup = new aws.elasticache.ReplicationGroup(
            `${name}-rg`,
            {
                replicationGroupId: id,
                description: `platform Redis (${args.environment}, ${args.region})`,
                engine: "redis",
                engineVersion: args.engineVersion,
                nodeType: args.nodeType,
                port: redisPort,
                clusterMode: "enabled",
                parameterGroupName: params.name,
                numNodeGroups: args.shards,
                replicasPerNodeGroup: args.replicasPerShard,
                automaticFailoverEnabled: true,
                multiAzEnabled: true,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: [sg.id],
                atRestEncryptionEnabled: true,
                kmsKeyId: args.cacheKeyArn,
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken: this.authToken,
                authTokenUpdateStrategy: "ROTATE",
                snapshotRetentionLimit: args.snapshotRetentionDays,
                snapshotWindow: args.snapshotWindow,
                maintenanceWindow: args.maintenanceWindow,
                finalSnapshotIdentifier: args.protect ? `${id}-final` : undefined,
                autoMinorVersionUpgrade: true,
                applyImmediately: false,
                logDeliveryConfigurations: [{ destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
            },
            { ...keep, additionalSecretOutputs: ["authToken"] },
        );
        this.configurationEndpoint = this.replicationGroup.configurationEndpointAddress;
        this.registerOutputs({ configurationEndpoint: this.configurationEndpoint });
    }
}
