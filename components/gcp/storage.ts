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
                ...(args.dataLocations ? { customPlacementConfig: { dataLocations: [...args.dataLocations] } } : {}),
                storageClass: "STANDARD",
                uniformBucketLevelAccess: true,
                publicAccessPrevention: "enforced",
                versioning: { enabled: true },
                encryption: { defaultKmsKeyName: args.keyId },
                lifecycleRules: bucketLifecycle,
                softDeletePolicy: { retentionDurationSeconds: 7 * 24 * 3600 },
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
