import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { masterSecretRotation, rotationSecurityGroup } from "./rotation";
import { poolerSecurityGroup } from "./pooler";

/**
 * How a region's cluster takes part: `standalone` (its own regional cluster), `global-primary`
 * (the writer of an Aurora global database), `global-secondary` (a warm standby: readers only,
 * no master credentials, replicating from the primary region).
 */
export type AuroraRole = "standalone" | "global-primary" | "global-secondary";

export interface AuroraDatabaseArgs {
    /** Explicit provider of the `@pulumi/random` secrets. */
    readonly randomProvider: random.Provider;
    /** Service name (catalog card `service`). */
    readonly service: string;
    /** Environment (dev, staging, prod): names, tags and sizing. */
    readonly environment: string;
    /** Database created in the cluster (not on a secondary: it replicates the primary's). */
    readonly databaseName: string;
    /** Part this cluster plays (see `AuroraRole`). */
    readonly role: AuroraRole;
    /** The Aurora global cluster id, for `global-secondary` (the primary region creates it). */
    readonly globalClusterId?: pulumi.Input<string>;
    /** The primary region's cluster and writer: a secondary can only join once they exist. */
    readonly primaryResources?: readonly pulumi.Resource[];
    /** Pinned engine version. */
    readonly engineVersion: string;
    /** Instance class of every instance (AWS profile). */
    readonly instanceClass: string;
    /** Reader instances besides the writer (a secondary has `max(1, readers)` instances, all readers). */
    readonly readers: number;
    /** `max_connections` of the instance parameter group (the budget the capacity model checks). */
    readonly maxConnections: number;
    /** The region's VPC. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated data subnets (no route out), one per zone. */
    readonly isolatedSubnetIds: pulumi.Input<string>[];
    /** Zones, in order: instance i goes to zone i mod 3. */
    readonly zones: pulumi.Input<string[]>;
    /** The EKS cluster security group: the only source admitted on 5432. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
    /**
     * The service connects through a pooler (components/aws/pooler.ts): the database makes the pooler's
     * security group too (5432 from the EKS cluster in, 5432 to the VPC out) and admits it.
     */
    readonly pooler?: { readonly vpcCidr: string };
    /** CMK of the database data class (storage, Performance Insights). */
    readonly databaseKeyArn: pulumi.Input<string>;
    /** CMK of the secrets data class (Secrets Manager). */
    readonly secretsKeyArn: pulumi.Input<string>;
    /** Days of automated backups / PITR (environment profile). */
    readonly backupRetentionDays: number;
    /** Daily backup window, UTC. */
    readonly backupWindow: string;
    /** Weekly maintenance window, UTC. */
    readonly maintenanceWindow: string;
    /** Performance Insights retention in days (7 or a multiple of 31). */
    readonly performanceInsightsRetentionDays: number;
    /** Deletion protection, final snapshot and Pulumi `protect` (staging/prod). */
    readonly protect: boolean;
    /** Secrets Manager recovery window for the master secret of a global primary. */
    readonly secretRecoveryDays: number;
    /** CMK of the logs data class: the cluster's exported PostgreSQL log (pgaudit records included). */
    readonly logsKeyArn: pulumi.Input<string>;
    /** Days the exported PostgreSQL log is kept (environment profile). */
    readonly logRetentionDays: number;
    /**
     * Rotation of a global primary's master secret by Secrets Manager (components/aws/rotation.ts):
     * the VPC's CIDR (the function's egress), the region and the interval. Ignored for other roles
     * (a standalone cluster's RDS-managed secret rotates itself; a secondary has no master secret).
     */
    readonly masterRotation?: { readonly vpcCidr: string; readonly region: string; readonly intervalDays: number };
    /** Cluster identifier (default `<service>-<environment>`): a copy region's secondary needs its own. */
    readonly identifier?: string;
    /** Global cluster identifier of a primary (default: the cluster identifier). */
    readonly globalIdentifier?: string;
    /**
     * A secondary with no instances (an Aurora "headless" secondary): storage replicates, nothing is
     * billed per hour; promotion adds the instances. Only for `global-secondary`.
     */
    readonly headless?: boolean;
}

export const postgresPort = 5432;
export const auroraFamily = "aurora-postgresql16";

/**
 * Statement and audit logging: pgaudit records DDL and role/privilege changes (`ddl,role`), the
 * PostgreSQL log adds every DDL statement (`log_statement = ddl`), never parameters (they can carry
 * personal data). `pgaudit.role` names the role object auditing uses: RDS requires it to exist,
 * and creating it is SQL (`CREATE ROLE rds_pgaudit; CREATE EXTENSION pgaudit;`), which each
 * service's one-time db-bootstrap Job runs as the master user (`dbBootstrapSql`, components/k8s/delivery.ts).
 */
export const auditParameters: readonly { readonly name: string; readonly value: string; readonly applyMethod?: "pending-reboot" }[] = [
    { name: "shared_preload_libraries", value: "pg_stat_statements,pgaudit", applyMethod: "pending-reboot" },
    { name: "pgaudit.log", value: "ddl,role" },
    { name: "pgaudit.role", value: "rds_pgaudit" },
    { name: "pgaudit.log_parameter", value: "0" },
    { name: "log_statement", value: "ddl" },
];

/** Pure validation, run before any resource. */
export function validateAuroraArgs(args: Pick<AuroraDatabaseArgs, "role" | "globalClusterId" | "backupRetentionDays" | "readers" | "maxConnections" | "engineVersion" | "headless">): string[] {
    const problems: string[] = [];
    if (args.headless && args.role !== "global-secondary") {
        problems.push("only a global secondary can be headless (a primary or standalone cluster needs its writer)");
    }
    if (args.role === "global-secondary" && args.globalClusterId === undefined) {
        problems.push("a global secondary needs the primary region's globalClusterId");
    }
    if (args.backupRetentionDays < 1 || args.backupRetentionDays > 35) {
        problems.push(`backupRetentionDays ${args.backupRetentionDays} outside 1–35 (Aurora's range)`);
    }
    if (args.readers < 0 || args.readers > 15) {
        problems.push(`readers ${args.readers} outside 0–15`);
    }
    if (!/^16\.\d+$/.test(args.engineVersion)) {
        problems.push(`engine version ${args.engineVersion} is not Aurora PostgreSQL 16.x`);
    }
    if (args.maxConnections < 1) {
        problems.push("maxConnections must be positive");
    }
    return problems;
}

/** One service's Aurora PostgreSQL 16 cluster in one region (writer + readers across zones). */
export class AuroraDatabase extends pulumi.ComponentResource {
    readonly cluster: aws.rds.Cluster;
    readonly globalCluster?: aws.rds.GlobalCluster;
    readonly writerEndpoint: pulumi.Output<string>;
    readonly readerEndpoint: pulumi.Output<string>;
    readonly clusterResourceId: pulumi.Output<string>;
    readonly port = postgresPort;
    /** ARN of the secret holding the master credentials (RDS-managed, or ours for a global primary); absent on a secondary. */
    readonly masterSecretArn?: pulumi.Output<string>;
    readonly instances: readonly aws.rds.ClusterInstance[];
    /** The pooler's security group, when the service connects through one. */
    readonly poolerSecurityGroupId?: pulumi.Output<string>;

    constructor(name: string, args: AuroraDatabaseArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:AuroraDatabase", name, {}, opts);
        const problems = validateAuroraArgs(args);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid Aurora arguments for ${args.service}:\n  - ${problems.join("\n  - ")}`, this);
        }
        const provider = opts.provider;
        const o = { parent: this, provider };
        const keep = { ...o, protect: args.protect };
        const identifier = args.identifier ?? `${args.service}-${args.environment}`;
        const tags = { service: args.service };

        const rotates = args.role === "global-primary" && args.masterRotation !== undefined;
        const rotationSg = rotates && args.masterRotation ? rotationSecurityGroup(`${name}-rotation-sg`, { vpcId: args.vpcId, vpcCidr: args.masterRotation.vpcCidr, identifier, tags }, o) : undefined;
        const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnets`, { description: `${identifier} isolated data subnets`, subnetIds: args.isolatedSubnetIds, tags }, o);
        const poolerSg = args.pooler
            ? poolerSecurityGroup(`${name}-pooler-sg`, { service: args.service, vpcId: args.vpcId, vpcCidr: args.pooler.vpcCidr, clientSecurityGroupId: args.clientSecurityGroupId }, o)
            : undefined;
        this.poolerSecurityGroupId = poolerSg?.id;
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `${identifier}: PostgreSQL from the EKS cluster only`,
                ingress: [
                    { protocol: "tcp", fromPort: postgresPort, toPort: postgresPort, securityGroups: [args.clientSecurityGroupId], description: "EKS nodes and pods" },
                    ...(rotationSg ? [{ protocol: "tcp", fromPort: postgresPort, toPort: postgresPort, securityGroups: [rotationSg.id], description: "master password rotation function" }] : []),
                    ...(poolerSg ? [{ protocol: "tcp", fromPort: postgresPort, toPort: postgresPort, securityGroups: [poolerSg.id], description: "RDS Proxy" }] : []),
                ],
                egress: [],
                tags,
            },
            o,
        );
        const clusterParams = new aws.rds.ClusterParameterGroup(
            `${name}-cluster-params`,
            {
                family: auroraFamily,
                description: `${identifier} cluster parameters`,
                parameters: [
                    { name: "rds.force_ssl", value: "1" },
                    { name: "log_min_duration_statement", value: "500" },
                    { name: "log_lock_waits", value: "1" },
                    { name: "log_temp_files", value: "0" },
                    { name: "log_connections", value: "1" },
                    { name: "log_disconnections", value: "1" },
                    ...auditParameters,
                ],
                tags,
            },
            o,
        );
        const instanceParams = new aws.rds.ParameterGroup(
            `${name}-instance-params`,
            {
                family: auroraFamily,
                description: `${identifier} instance parameters (max_connections = the checked budget)`,
                parameters: [{ name: "max_connections", value: String(args.maxConnections), applyMethod: "pending-reboot" }],
                tags,
            },
            o,
        );

        // RDS exports the PostgreSQL log (pgaudit's records included) to this group; created first, so it is ours:
        // encrypted with the logs CMK and kept for the environment's retention instead of RDS's never-expiring default.
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-postgresql-log`,
            { name: `/aws/rds/cluster/${identifier}/postgresql`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn, tags },
            o,
        );

        let masterSecretArn: pulumi.Output<string> | undefined;
        let credentials: Partial<aws.rds.ClusterArgs> = {};
        if (args.role === "global-primary") {
            // Global databases do not support RDS-managed master passwords: ours, from @pulumi/random, in Secrets Manager.
            this.globalCluster = new aws.rds.GlobalCluster(
                `${name}-global`,
                {
                    globalClusterIdentifier: args.globalIdentifier ?? identifier,
                    engine: "aurora-postgresql",
                    engineVersion: args.engineVersion,
                    databaseName: args.databaseName,
                    storageEncrypted: true,
                    deletionProtection: args.protect,
                },
                keep,
            );
            const password = new random.RandomPassword(`${name}-master-password`, { length: 40, special: true, overrideSpecial: "!#$%^&*()-_=+[]{}<>:?" }, { parent: this, provider: args.randomProvider });
            const secret = new aws.secretsmanager.Secret(
                `${name}-master-secret`,
                { name: `${args.environment}/${args.service}/aurora-master`, description: `${identifier} master credentials (global database)`, kmsKeyId: args.secretsKeyArn, recoveryWindowInDays: args.secretRecoveryDays, tags },
                keep,
            );
            credentials = { masterUsername: "postgres_admin", masterPassword: pulumi.secret(password.result), databaseName: args.databaseName, globalClusterIdentifier: this.globalCluster.id };
            masterSecretArn = secret.arn;
            this.masterSecret = { secret, password };
        } else if (args.role === "standalone") {
            credentials = { masterUsername: "postgres_admin", manageMasterUserPassword: true, masterUserSecretKmsKeyId: args.secretsKeyArn, databaseName: args.databaseName };
        } else {
            credentials = { globalClusterIdentifier: args.globalClusterId };
        }

        this.cluster = new aws.rds.Cluster(
            `${name}-cluster`,
            {
                clusterIdentifier: identifier,
                engine: "aurora-postgresql",
                engineMode: "provisioned",
                engineVersion: args.engineVersion,
                ...credentials,
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [sg.id],
                dbClusterParameterGroupName: clusterParams.name,
                port: postgresPort,
                storageEncrypted: true,
                kmsKeyId: args.databaseKeyArn,
                iamDatabaseAuthenticationEnabled: true,
                enabledCloudwatchLogsExports: ["postgresql"],
                backupRetentionPeriod: args.backupRetentionDays,
                preferredBackupWindow: args.backupWindow,
                preferredMaintenanceWindow: args.maintenanceWindow,
                copyTagsToSnapshot: true,
                deletionProtection: args.protect,
                skipFinalSnapshot: !args.protect,
                finalSnapshotIdentifier: args.protect ? `${identifier}-final` : undefined,
                tags,
            },
            // A secondary's replication source is managed by the global cluster (failover swaps it).
            // A rotated master password is Secrets Manager's from the first rotation on.
            {
                ...keep,
                dependsOn: [...(args.primaryResources ?? []), logGroup],
                ignoreChanges: args.role === "global-secondary" ? ["replicationSourceIdentifier", "globalClusterIdentifier"] : rotates ? ["masterPassword"] : [],
            },
        );
        if (args.role === "standalone") {
            masterSecretArn = this.cluster.masterUserSecrets.apply((s) => s[0]?.secretArn ?? "");
        }
        this.masterSecretArn = masterSecretArn;

        // Master password from the secret version: the JSON RDS's own managed secrets use.
        let initialMasterVersion: aws.secretsmanager.SecretVersion | undefined;
        if (this.masterSecret) {
            const { secret, password } = this.masterSecret;
            initialMasterVersion = new aws.secretsmanager.SecretVersion(
                `${name}-master-secret-value`,
                {
                    secretId: secret.id,
                    secretString: pulumi.secret(
                        pulumi.all([password.result, this.cluster.endpoint]).apply(([pw, host]) =>
                            JSON.stringify({ engine: "postgres", username: "postgres_admin", password: pw, host, port: postgresPort, dbname: args.databaseName }),
                        ),
                    ),
                },
                // The rotation function moves AWSCURRENT to its new versions: this first one must not be put back.
                { ...o, ignoreChanges: rotates ? ["secretString", "versionStages"] : [] },
            );
        }

        const monitoringRole = new aws.iam.Role(
            `${name}-monitoring-role`,
            { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }] }) },
            o,
        );
        new aws.iam.RolePolicyAttachment(`${name}-monitoring-policy`, { role: monitoringRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" }, o);

        const count = args.headless ? 0 : args.role === "global-secondary" ? Math.max(1, args.readers) : 1 + args.readers;
        const instances: aws.rds.ClusterInstance[] = [];
        for (let i = 0; i < count; i++) {
            instances.push(
                new aws.rds.ClusterInstance(
                    `${name}-${i}`,
                    {
                        identifier: `${identifier}-${i}`,
                        clusterIdentifier: this.cluster.id,
                        engine: "aurora-postgresql",
                        engineVersion: args.engineVersion,
                        instanceClass: args.instanceClass,
                        dbParameterGroupName: instanceParams.name,
                        dbSubnetGroupName: subnetGroup.name,
                        // Writer and readers in different zones.
                        availabilityZone: pulumi.output(args.zones).apply((z) => z[i % z.length]),
                        promotionTier: i === 0 ? 0 : 1,
                        publiclyAccessible: false,
                        autoMinorVersionUpgrade: true,
                        performanceInsightsEnabled: true,
                        performanceInsightsKmsKeyId: args.databaseKeyArn,
                        performanceInsightsRetentionPeriod: args.performanceInsightsRetentionDays,
                        monitoringInterval: 60,
                        monitoringRoleArn: monitoringRole.arn,
                        caCertIdentifier: "rds-ca-rsa2048-g1",
                        copyTagsToSnapshot: true,
                        preferredMaintenanceWindow: args.maintenanceWindow,
                        tags: { ...tags, member: i === 0 && args.role !== "global-secondary" ? "writer" : "reader" },
                    },
                    // The first instance becomes the writer: readers come after it.
                    { ...keep, dependsOn: i === 0 ? [] : [instances[0]] },
                ),
            );
        }
        this.instances = instances;
        // The first rotation runs once the writer and the secret's first value exist.
        if (rotationSg && args.masterRotation && this.masterSecret && initialMasterVersion) {
            masterSecretRotation(
                `${name}-master-rotation`,
                {
                    identifier,
                    region: args.masterRotation.region,
                    secretArn: this.masterSecret.secret.arn,
                    secretsKeyArn: args.secretsKeyArn,
                    subnetIds: args.isolatedSubnetIds,
                    securityGroupId: rotationSg.id,
                    intervalDays: args.masterRotation.intervalDays,
                    after: [initialMasterVersion, ...instances.slice(0, 1)],
                    tags,
                },
                o,
            );
        }
        this.writerEndpoint = this.cluster.endpoint;
        this.readerEndpoint = this.cluster.readerEndpoint;
        this.clusterResourceId = this.cluster.clusterResourceId;
        this.registerOutputs({ writerEndpoint: this.writerEndpoint, readerEndpoint: this.readerEndpoint });
    }

    private readonly masterSecret?: { secret: aws.secretsmanager.Secret; password: random.RandomPassword };
}
