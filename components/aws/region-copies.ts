import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CopyMechanism, backupSchedule } from "../../data/residency";
import { AccessLogBucket, bucketAccessLogging } from "./access-logs";
import { AuroraDatabase } from "./aurora";
import { GlobalDatabaseRef, CopyHost } from "./platform";

/** One service's database in the source region, as the copies see it. */
export interface SourceDatabase {
    readonly service: string;
    readonly databaseName: string;
    readonly clusterArn: pulumi.Output<string>;
    /** Its Aurora global database (the source is a global primary), for a headless secondary. */
    readonly global?: GlobalDatabaseRef;
}

/** One bucket of record in the source region and where its objects are replicated. */
export interface ReplicatedBucket {
    readonly service: string;
    readonly purpose: string;
    readonly sourceBucket: string;
    /** A bucket of the target region's platform (same service and purpose), or absent: the copies create one. */
    readonly targetBucket?: string;
    /** Name of the replica bucket to create when there is no target bucket. */
    readonly replicaBucketName: string;
}

export interface RegionCopiesArgs {
    readonly environment: string;
    readonly accountId: string;
    readonly source: string;
    readonly target: string;
    /** Mechanism of the databases' copy (data/residency.ts `auroraCopyMechanism`). */
    readonly databaseCopy: Extract<CopyMechanism, "aurora-global" | "aws-backup-copy">;
    readonly databases: readonly SourceDatabase[];
    readonly buckets: readonly ReplicatedBucket[];
    /** The target region's platform, when it has one (headless secondaries and the object replicas live in it). */
    readonly targetHost?: CopyHost;
    /** CMKs of the source region: its databases' key (the backup vault) and its buckets' key (replication reads). */
    readonly sourceDatabaseKeyArn: pulumi.Input<string>;
    readonly sourceObjectKeyArn: pulumi.Input<string>;
    /** The secondaries' sizing and windows (the AWS profile). */
    readonly aurora: { readonly engineVersion: string; readonly instanceClass: string; readonly maxConnections: number; readonly backupWindow: string; readonly maintenanceWindow: string; readonly performanceInsightsRetentionDays: number };
    /** Days a headless secondary's exported PostgreSQL log is kept (environment profile). */
    readonly logRetentionDays: number;
    readonly backupRetentionDays: number;
    readonly kmsDeletionWindowDays: number;
    readonly randomProvider: random.Provider;
    readonly protect: boolean;
    readonly secretRecoveryDays: number;
    /** Source-side resources the copies wait for (the source platform: its buckets' versioning, its clusters). */
    readonly after: readonly pulumi.Resource[];
}

/** Pure checks before any resource. */
export function validateRegionCopies(
    args: Pick<RegionCopiesArgs, "source" | "target" | "databaseCopy" | "targetHost"> & { readonly databases: readonly Pick<SourceDatabase, "service" | "global">[] },
): string[] {
    const problems: string[] = [];
    if (args.source === args.target) {
        problems.push(`${args.source}: copies to itself`);
    }
    if (args.databaseCopy === "aurora-global") {
        if (!args.targetHost) {
            problems.push(`${args.target}: an Aurora global secondary needs a platform (network) in the target region`);
        }
        for (const db of args.databases.filter((d) => !d.global)) {
            problems.push(`${db.service}: the source cluster is not a global primary, no secondary can join it`);
        }
    }
    return problems;
}

/**
 * One active region's copies in its copy region (data/residency.ts `awsCopyPlan`): headless Aurora
 * global secondaries (or AWS Backup with cross-region copy where the target has no platform), and S3
 * replication with Replication Time Control of its buckets of record, encrypted with the target's key.
 */
export class RegionCopies extends pulumi.ComponentResource {
    /** Identifiers of the headless secondaries, by service. */
    readonly secondaries: Readonly<Record<string, pulumi.Output<string>>>;
    readonly targetVaultArn?: pulumi.Output<string>;

    constructor(name: string, args: RegionCopiesArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider; targetProvider: aws.Provider }) {
        super("learning-platform:aws:RegionCopies", name, {}, opts);
        const problems = validateRegionCopies(args);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid copies of ${args.source} in ${args.target}:\n  - ${problems.join("\n  - ")}`, this);
        }
        const src = { parent: this, provider: opts.provider };
        const dst = { parent: this, provider: opts.targetProvider };
        const tags = { service: "platform", "copy-of": args.source };

        // Where the target has no platform (staging's alternate region), the copies bring their own key.
        const targetKeyArn: pulumi.Input<string> =
            args.targetHost?.keyArns.database ??
            new aws.kms.Key(
                `${name}-key`,
                {
                    description: `learning-${args.environment} copies of ${args.source} (${args.target})`,
                    enableKeyRotation: true,
                    rotationPeriodInDays: 365,
                    deletionWindowInDays: args.kmsDeletionWindowDays,
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${args.accountId}:root` }, Action: "kms:*", Resource: "*" }],
                    }),
                    tags,
                },
                { ...dst, protect: args.protect },
            ).arn;
        const targetObjectKeyArn: pulumi.Input<string> = args.targetHost?.keyArns["object-storage"] ?? targetKeyArn;

        const secondaries: Record<string, pulumi.Output<string>> = {};
        if (args.databaseCopy === "aurora-global" && args.targetHost) {
            const host = args.targetHost;
            for (const db of args.databases) {
                const secondary = new AuroraDatabase(
                    `${name}-${db.service}-db`,
                    {
                        service: db.service,
                        randomProvider: args.randomProvider,
                        environment: args.environment,
                        databaseName: db.databaseName,
                        role: "global-secondary",
                        headless: true,
                        identifier: `${db.service}-${args.environment}-from-${args.source}`,
                        globalClusterId: db.global?.globalClusterId,
                        primaryResources: db.global?.primaryResources,
                        engineVersion: args.aurora.engineVersion,
                        instanceClass: args.aurora.instanceClass,
                        readers: 0,
                        maxConnections: args.aurora.maxConnections,
                        vpcId: host.vpcId,
                        isolatedSubnetIds: host.isolatedSubnetIds,
                        zones: host.zones,
                        clientSecurityGroupId: host.clientSecurityGroupId,
                        databaseKeyArn: host.keyArns.database,
                        secretsKeyArn: host.keyArns.secrets,
                        backupRetentionDays: args.backupRetentionDays,
                        logsKeyArn: host.keyArns.logs,
                        logRetentionDays: args.logRetentionDays,
                        backupWindow: args.aurora.backupWindow,
                        maintenanceWindow: args.aurora.maintenanceWindow,
                        performanceInsightsRetentionDays: args.aurora.performanceInsightsRetentionDays,
                        protect: args.protect,
                        secretRecoveryDays: args.secretRecoveryDays,
                    },
                    dst,
                );
                secondaries[db.service] = secondary.cluster.clusterIdentifier;
            }
        }
        this.secondaries = secondaries;

        if (args.databaseCopy === "aws-backup-copy") {
            const retention = { deleteAfter: args.backupRetentionDays };
            const sourceVault = new aws.backup.Vault(`${name}-vault`, { name: `learning-${args.environment}-${args.source}`, kmsKeyArn: args.sourceDatabaseKeyArn, forceDestroy: false, tags }, { ...src, protect: args.protect });
            const targetVault = new aws.backup.Vault(`${name}-target-vault`, { name: `learning-${args.environment}-copies-of-${args.source}`, kmsKeyArn: targetKeyArn, forceDestroy: false, tags }, { ...dst, protect: args.protect });
            this.targetVaultArn = targetVault.arn;
            const plan = new aws.backup.Plan(
                `${name}-plan`,
                {
                    name: `learning-${args.environment}-${args.source}`,
                    rules: [
                        {
                            ruleName: "hourly-with-cross-region-copy",
                            targetVaultName: sourceVault.name,
                            schedule: backupSchedule.cron,
                            scheduleExpressionTimezone: "Etc/UTC",
                            startWindow: backupSchedule.startWindowMinutes,
                            completionWindow: backupSchedule.completionWindowMinutes,
                            lifecycle: retention,
                            copyActions: [{ destinationVaultArn: targetVault.arn, lifecycle: retention }],
                            recoveryPointTags: tags,
                        },
                    ],
                    tags,
                },
                src,
            );
            const backupRole = new aws.iam.Role(
                `${name}-backup-role`,
                { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }] }), tags },
                src,
            );
            for (const [suffix, policy] of [["backup", "AWSBackupServiceRolePolicyForBackup"], ["restore", "AWSBackupServiceRolePolicyForRestores"]] as const) {
                new aws.iam.RolePolicyAttachment(`${name}-backup-role-${suffix}`, { role: backupRole.name, policyArn: `arn:aws:iam::aws:policy/service-role/${policy}` }, src);
            }
            new aws.backup.Selection(
                `${name}-selection`,
                { name: `learning-${args.environment}-databases`, planId: plan.id, iamRoleArn: backupRole.arn, resources: args.databases.map((d) => d.clusterArn) },
                { ...src, dependsOn: [...args.after] },
            );
        }

        if (args.buckets.length > 0) {
            // An alternate region outside the stack has no platform, so no log bucket: the replicas' access logs get one here.
            let replicaLogs: AccessLogBucket | undefined;
            const logsOfReplicas = (): AccessLogBucket =>
                (replicaLogs ??= new AccessLogBucket(
                    `${name}-access-logs`,
                    { environment: args.environment, region: args.target, accountId: args.accountId, retentionDays: args.logRetentionDays, protect: args.protect },
                    dst,
                ));
            const targets = args.buckets.map((b) => {
                if (b.targetBucket) {
                    return { ...b, destination: b.targetBucket };
                }
                // The alternate region's own replica bucket: private, versioned, encrypted with the target key.
                const r = `${name}-${b.service.replace(/-service$/, "")}-${b.purpose}-replica`;
                const bucket = new aws.s3.Bucket(r, { bucket: b.replicaBucketName, forceDestroy: !args.protect, tags: { ...tags, purpose: b.purpose } }, { ...dst, protect: args.protect });
                new aws.s3.BucketPublicAccessBlock(`${r}-public-access`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, dst);
                new aws.s3.BucketOwnershipControls(`${r}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, dst);
                const versioning = new aws.s3.BucketVersioning(`${r}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, dst);
                new aws.s3.BucketServerSideEncryptionConfiguration(
                    `${r}-encryption`,
                    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: targetObjectKeyArn }, bucketKeyEnabled: true }] },
                    dst,
                );
                new aws.s3.BucketPolicy(
                    `${r}-tls-only`,
                    {
                        bucket: bucket.id,
                        policy: pulumi.jsonStringify({
                            Version: "2012-10-17",
                            Statement: [{ Sid: "DenyInsecureTransport", Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }],
                        }),
                    },
                    dst,
                );
                bucketAccessLogging(`${r}-access-logs`, { id: bucket.id, name: bucket.bucket }, logsOfReplicas(), dst);
                return { ...b, destination: b.replicaBucketName, ready: versioning };
            });
            const arn = (bucket: string) => `arn:aws:s3:::${bucket}`;
            // S3 assumes this role to read the source versions and write the replicas (least privilege: these buckets and keys).
            const role = new aws.iam.Role(
                `${name}-replication-role`,
                { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }] }), tags },
                src,
            );
            const policy = new aws.iam.RolePolicy(
                `${name}-replication-policy`,
                {
                    role: role.id,
                    policy: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Sid: "ReadSourceConfig", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: targets.map((t) => arn(t.sourceBucket)) },
                            {
                                Sid: "ReadSourceVersions",
                                Effect: "Allow",
                                Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                                Resource: targets.map((t) => `${arn(t.sourceBucket)}/*`),
                            },
                            { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: targets.map((t) => `${arn(t.destination)}/*`) },
                            { Sid: "DecryptSource", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [args.sourceObjectKeyArn], Condition: { StringLike: { "kms:ViaService": `s3.${args.source}.amazonaws.com` } } },
                            { Sid: "EncryptReplica", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: [targetObjectKeyArn], Condition: { StringLike: { "kms:ViaService": `s3.${args.target}.amazonaws.com` } } },
                        ],
                    }),
                },
                src,
            );
            for (const t of targets) {
                new aws.s3.BucketReplicationConfig(
                    `${name}-${t.service.replace(/-service$/, "")}-${t.purpose}-replication`,
                    {
                        bucket: t.sourceBucket,
                        role: role.arn,
                        rules: [
                            {
                                id: `to-${args.target}`,
                                status: "Enabled",
                                priority: 0,
                                filter: {},
                                // Deletes stay local: a mistaken or malicious delete does not reach the copy.
                                deleteMarkerReplication: { status: "Disabled" },
                                sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                                destination: {
                                    bucket: arn(t.destination),
                                    encryptionConfiguration: { replicaKmsKeyId: targetObjectKeyArn },
                                    // Replication Time Control: the 15-minute SLA, with its metrics.
                                    replicationTime: { status: "Enabled", time: { minutes: 15 } },
                                    metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
                                },
                            },
                        ],
                    },
                    { ...src, dependsOn: [...args.after, policy, ...("ready" in t && t.ready ? [t.ready] : [])] },
                );
            }
        }
        this.registerOutputs({ secondaries, targetVaultArn: this.targetVaultArn });
    }
}
