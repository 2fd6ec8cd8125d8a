import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/**
 * Lifecycle of the notification bucket. DATA_MODEL §5, which the document points to, is not among
 * the design documents; these are ours (README): rendered bodies and webhook payloads go cold after
 * 30 days and are deleted after 400 (a year of disputes plus a month); old versions after 30 days.
 */
export const bucketLifecycle = [
    { action: { type: "SetStorageClass", storageClass: "NEARLINE" }, condition: { age: 30, matchesStorageClasses: ["STANDARD"] } },
    { action: { type: "Delete" }, condition: { age: 400 } },
    { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 30, withState: "ARCHIVED" } },
    { action: { type: "Delete" }, condition: { numNewerVersions: 3, withState: "ARCHIVED" } },
    { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 1 } },
];

export interface BucketArgs {
    readonly bucketName: string;
    /** A region, or a multi-region code with `dataLocations` for a configurable dual-region. */
    readonly location: string;
    readonly dataLocations?: readonly string[];
    readonly keyId: pulumi.Input<string>;
    /** Service accounts that read and write objects (`roles/storage.objectUser`, authoritative). */
    readonly objectUsers: readonly pulumi.Input<string>[];
    readonly protect: boolean;
    readonly labels: Readonly<Record<string, string>>;
    readonly provider: gcp.Provider;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
    /** The access-log bucket (`AccessLogBucket`): Cloud Storage writes this bucket's usage and storage logs there. */
    readonly accessLogBucket: pulumi.Input<string>;
}

/**
 * The notification bucket (seed 001 §4.3): CMEK, uniform access, public access prevented,
 * versioning, lifecycle, never force-destroyed; dual-region where the profile and zone allow.
 */
export class NotificationBucket extends pulumi.ComponentResource {
    readonly bucket: gcp.storage.Bucket;
    readonly bucketName: pulumi.Output<string>;

    constructor(name: string, args: BucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:NotificationBucket", name, {}, opts);
        this.bucket = new gcp.storage.Bucket(
            `${name}-bucket`,
            {
                name: args.bucketName,
                location: args.location,
                // A configurable dual-region replicates with turbo replication (15-minute RPO; the default is up to 12 h):
                // the nearest to seed 000 §9's 5 minutes Cloud Storage offers.
                ...(args.dataLocations ? { customPlacementConfig: { dataLocations: [...args.dataLocations] }, rpo: "ASYNC_TURBO" } : {}),
                storageClass: "STANDARD",
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
                versioning: { enabled: true },
                encryption: { defaultKmsKeyName: args.keyId },
                lifecycleRules: bucketLifecycle,
                softDeletePolicy: { retentionDurationSeconds: 7 * 24 * 3600 },
                // Usage logs (every request: who, what, when) to the locked log bucket.
                logging: { logBucket: args.accessLogBucket, logObjectPrefix: args.bucketName },
                forceDestroy: false,
                labels: args.labels,
            },
            { parent: this, provider: args.provider, protect: args.protect, dependsOn: args.dependsOn },
        );
        this.bucketName = this.bucket.name;
        new gcp.storage.BucketIAMBinding(
            `${name}-object-users`,
            { bucket: this.bucket.name, role: "roles/storage.objectUser", members: args.objectUsers.map((sa) => pulumi.interpolate`serviceAccount:${sa}`) },
            { parent: this, provider: args.provider },
        );
        this.registerOutputs({ bucketName: this.bucketName });
    }
}

export interface AccessLogBucketArgs {
    /** Globally unique bucket name. */
    readonly bucketName: string;
    /** The same placement as the bucket it logs for (residency). */
    readonly location: string;
    readonly dataLocations?: readonly string[];
    readonly keyId: pulumi.Input<string>;
    /** Days a log object is kept: the retention policy and the lifecycle's delete age. */
    readonly retentionDays: number;
    /** Staging/prod: the retention policy is locked (nobody, the owner included, can shorten or remove it) and the bucket protected. */
    readonly protect: boolean;
    /** The group Cloud Storage writes usage logs as (`cloud-storage-analytics@google.com`). */
    readonly writerGroup: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly provider: gcp.Provider;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** Pure validation, run before any resource. */
export function validateAccessLogBucketArgs(args: Pick<AccessLogBucketArgs, "retentionDays" | "bucketName">): string[] {
    const problems: string[] = [];
    if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1) {
        problems.push(`retentionDays ${args.retentionDays} must be a whole number of days ≥ 1`);
    }
    if (!/^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/.test(args.bucketName)) {
        problems.push(`"${args.bucketName}" is not a Cloud Storage bucket name (3–63 of a-z 0-9 _ -)`);
    }
    return problems;
}

/**
 * The access-log bucket of the notification bucket: CMEK, uniform access, public access prevented,
 * a retention policy of `retentionDays` (locked in staging/prod: objects cannot be deleted or
 * replaced before they age out) and a lifecycle that deletes them after it. No versioning: Cloud
 * Storage refuses it beside a retention policy, which already keeps every object.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;

    constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:AccessLogBucket", name, {}, opts);
        const problems = validateAccessLogBucketArgs(args);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid access-log bucket arguments:\n  - ${problems.join("\n  - ")}`, this);
        }
        const bucket = new gcp.storage.Bucket(
            `${name}-bucket`,
            {
                name: args.bucketName,
                location: args.location,
                ...(args.dataLocations ? { customPlacementConfig: { dataLocations: [...args.dataLocations] } } : {}),
                storageClass: "STANDARD",
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
                encryption: { defaultKmsKeyName: args.keyId },
                retentionPolicy: { retentionPeriod: String(args.retentionDays * 24 * 3600), isLocked: args.protect },
                lifecycleRules: [{ action: { type: "Delete" }, condition: { age: args.retentionDays } }],
                forceDestroy: !args.protect,
                labels: { ...args.labels, purpose: "access-logs" },
            },
            { parent: this, provider: args.provider, protect: args.protect, dependsOn: args.dependsOn },
        );
        // Cloud Storage delivers usage logs as this Google group: it may create objects, nothing else.
        new gcp.storage.BucketIAMMember(
            `${name}-log-writer`,
            { bucket: bucket.name, role: "roles/storage.objectCreator", member: `group:${args.writerGroup}` },
            { parent: this, provider: args.provider },
        );
        this.bucketName = bucket.name;
        this.registerOutputs({ bucketName: this.bucketName });
    }
}
