import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { RotationSlots } from "../../data/rotation";

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
    /** The services using the cache: each gets its own ElastiCache user limited to its key prefix. */
    readonly services: readonly string[];
    /** Rotation slots of this deployment (data/rotation.ts): each user has two passwords, renewed on alternate periods. */
    readonly rotation: RotationSlots;
}

export const redisPort = 6379;

/** A service's key (and channel) prefix: `assignment-service` → `assignment` (keys `assignment:*`). */
export function redisKeyPrefixOf(service: string): string {
    return service.replace(/-service$/, "");
}

/**
 * A service's ACL (Redis 7 syntax): its own keys and channels only; data, transaction, scripting
 * and pub/sub commands, nothing dangerous (no KEYS, FLUSHALL, CONFIG, DEBUG); the cluster topology
 * reads a cluster-mode client needs.
 */
export function redisAccessString(service: string): string {
    const p = redisKeyPrefixOf(service);
    return `on ~${p}:* &${p}:* -@all +@connection +@read +@write +@transaction +@scripting +@pubsub -@dangerous +cluster|slots +cluster|shards`;
}

/** The access string of the `default` user every user group must hold: switched off, no command, no key. */
export const redisDefaultAccessString = "off resetchannels -@all";

/** ElastiCache user id (unique per account and region): `prod-assignment-service`. */
export function redisUserId(environment: string, service: string): string {
    return `${environment}-${service}`.slice(0, 40).replace(/-+$/, "");
}

export function validateRedisArgs(args: Pick<RedisClusterArgs, "shards" | "replicasPerShard" | "snapshotRetentionDays"> & { readonly services?: readonly string[] }): string[] {
    const problems: string[] = [];
    const services = args.services ?? [];
    if (new Set(services).size !== services.length) {
        problems.push("a service is listed twice");
    }
    if (services.includes("default")) {
        problems.push('"default" is the disabled default user, not a service');
    }
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
    /** Per service: its ElastiCache user name and current password (secret). */
    readonly users: Readonly<Record<string, { readonly userName: string; readonly password: pulumi.Output<string> }>>;
    readonly userGroup: aws.elasticache.UserGroup;

    constructor(name: string, args: RedisClusterArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:RedisCluster", name, {}, opts);
        const problems = validateRedisArgs(args);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid Redis arguments:\n  - ${problems.join("\n  - ")}`, this);
        }
        const o = { parent: this, provider: opts.provider };
        const keep = { ...o, protect: args.protect };
        const id = `platform-${args.environment}`;

        // ElastiCache RBAC (Redis OSS 6.0+, transit encryption required): one user per service, its
        // own key prefix only; the `default` user every group must hold is switched off.
        const rp = { parent: this, provider: args.randomProvider };
        const users: Record<string, { userName: string; password: pulumi.Output<string> }> = {};
        const members: aws.elasticache.User[] = [];
        const defaultPassword = new random.RandomPassword(`${name}-default-password`, { length: 64, special: false }, rp);
        members.push(
            new aws.elasticache.User(
                `${name}-default-user`,
                { userId: redisUserId(args.environment, "default-off"), userName: "default", engine: "redis", accessString: redisDefaultAccessString, authenticationMode: pulumi.secret({ type: "password", passwords: [defaultPassword.result] }) },
                { ...o, additionalSecretOutputs: ["passwords", "authenticationMode"] },
            ),
        );
        for (const service of args.services) {
            // Two passwords (ElastiCache allows two), renewed on alternate periods: the one just renewed is handed out.
            const pw = (slot: "a" | "b") => new random.RandomPassword(`${name}-${service}-password-${slot}`, { length: 64, special: false, keepers: { rotation: args.rotation[slot] } }, rp);
            const a = pw("a");
            const b = pw("b");
            members.push(
                new aws.elasticache.User(
                    `${name}-${service}-user`,
                    {
                        userId: redisUserId(args.environment, service),
                        userName: service,
                        engine: "redis",
                        accessString: redisAccessString(service),
                        authenticationMode: pulumi.secret({ type: "password", passwords: [a.result, b.result] }),
                        tags: { service },
                    },
                    { ...o, additionalSecretOutputs: ["passwords", "authenticationMode"] },
                ),
            );
            users[service] = { userName: service, password: pulumi.secret(args.rotation.current === "a" ? a.result : b.result) };
        }
        this.users = users;
        this.userGroup = new aws.elasticache.UserGroup(`${name}-user-group`, { userGroupId: `platform-${args.environment}-users`, engine: "redis", userIds: members.map((m) => m.userId) }, o);

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
                // RBAC instead of one shared AUTH token: the group's users, each limited to its own prefix.
                userGroupIds: [this.userGroup.userGroupId],
                // An existing group's AUTH token is removed as the user group is attached (AWS's AUTH → RBAC migration).
                authTokenUpdateStrategy: "DELETE",
                snapshotRetentionLimit: args.snapshotRetentionDays,
                snapshotWindow: args.snapshotWindow,
                maintenanceWindow: args.maintenanceWindow,
                finalSnapshotIdentifier: args.protect ? `${id}-final` : undefined,
                autoMinorVersionUpgrade: true,
                applyImmediately: false,
                logDeliveryConfigurations: [{ destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
            },
            keep,
        );
        this.configurationEndpoint = this.replicationGroup.configurationEndpointAddress;
        this.registerOutputs({ configurationEndpoint: this.configurationEndpoint });
    }
}
