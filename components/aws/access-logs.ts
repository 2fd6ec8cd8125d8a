import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { elbLogPrincipal, logPrefixes, nlbLogDeliveryService, s3LogDeliveryService } from "../../data/log-delivery";
import { bucketName } from "./service-binding";

export interface AccessLogBucketArgs {
    /** Environment (dev, staging, prod): names and tags. */
    readonly environment: string;
    /** AWS region: ALB and S3 server access logs go to a bucket in their own region. */
    readonly region: string;
    /** AWS account of the stack: the only source account log delivery may write for. */
    readonly accountId: string;
    /** Days log objects are kept (the environment profile's log retention). */
    readonly retentionDays: number;
    /** Staging/prod: Pulumi `protect`, no force-destroy, and nobody deletes a log object (only the lifecycle expires them). */
    readonly protect: boolean;
}

/** Pure validation, run before any resource. */
export function validateAccessLogBucketArgs(args: Pick<AccessLogBucketArgs, "retentionDays" | "accountId">): string[] {
    const problems: string[] = [];
    if (!Number.isInteger(args.retentionDays) || args.retentionDays < 1) {
        problems.push(`retentionDays ${args.retentionDays} must be a whole number of days ≥ 1`);
    }
    if (!/^\d{12}$/.test(args.accountId)) {
        problems.push(`accountId "${args.accountId}" is not a 12-digit AWS account id`);
    }
    return problems;
}

type Statement = Record<string, unknown>;

/**
 * The log bucket's policy: TLS only; S3 server access logs from this account's buckets under `s3/`;
 * ALB access logs from this region's ELB delivery principal under `alb/AWSLogs/<account>/`; and,
 * when `protect`, no principal deletes a log object (lifecycle expiration is S3 acting on its own
 * rules, not a request a bucket policy evaluates). Pure, for the tests.
 */
export function accessLogBucketPolicy(bucketArn: string, args: Pick<AccessLogBucketArgs, "region" | "accountId" | "protect">): { Version: string; Statement: Statement[] } {
    const statements: Statement[] = [
        { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
        {
            Sid: "S3ServerAccessLogs",
            Effect: "Allow",
            Principal: { Service: s3LogDeliveryService },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/${logPrefixes.s3}/*`,
            Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
        },
        {
            Sid: "AlbAccessLogs",
            Effect: "Allow",
            Principal: elbLogPrincipal(args.region),
            Action: "s3:PutObject",
            Resource: `${bucketArn}/${logPrefixes.alb}/AWSLogs/${args.accountId}/*`,
        },
        // NLB access logs (the JetStream leaf-node listener's NLB): the log delivery service, for this account only.
        {
            Sid: "NlbAccessLogs",
            Effect: "Allow",
            Principal: { Service: nlbLogDeliveryService },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/${logPrefixes.nlb}/AWSLogs/${args.accountId}/*`,
            Condition: { StringEquals: { "aws:SourceAccount": args.accountId, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
        { Sid: "NlbAccessLogsAcl", Effect: "Allow", Principal: { Service: nlbLogDeliveryService }, Action: "s3:GetBucketAcl", Resource: bucketArn, Condition: { StringEquals: { "aws:SourceAccount": args.accountId } } },
    ];
    if (args.protect) {
        statements.push({ Sid: "DenyLogDeletion", Effect: "Deny", Principal: { AWS: "*" }, Action: ["s3:DeleteObject", "s3:DeleteObjectVersion"], Resource: `${bucketArn}/*` });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * One region's access-log bucket: ALB access logs and the S3 server access logs of the region's
 * buckets of record. Public access blocked, ACLs off (bucket owner enforced: delivery is granted by
 * the bucket policy), versioned, kept `retentionDays` then expired, locked against deletion in
 * staging/prod. Encrypted with SSE-S3, not the object-storage CMK: ELB access logs support only
 * SSE-S3 on the target bucket (ALB user guide, bucket requirements), and S3 server access logging's
 * target may not use Object Lock default retention, which is why the lock is a deny policy.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    /** What a log source must wait for: delivery is checked against the policy when logging is turned on. */
    readonly ready: readonly pulumi.Resource[];

    constructor(name: string, args: AccessLogBucketArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:AccessLogBucket", name, {}, opts);
        const problems = validateAccessLogBucketArgs(args);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid access-log bucket arguments for ${args.region}:\n  - ${problems.join("\n  - ")}`, this);
        }
        const o = { parent: this, provider: opts.provider };
        const tags = { service: "platform", purpose: "access-logs" };

        const bucket = new aws.s3.Bucket(
            `${name}-bucket`,
            { bucket: bucketName(args.environment, args.region, "platform", "access-logs", args.accountId), forceDestroy: !args.protect, tags },
            { ...o, protect: args.protect },
        );
        const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, o);
        const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, o);
        new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, o);
        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, o);
        const coldAfter = 90;
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: bucket.id,
                rules: [
                    {
                        id: "retention",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: args.retentionDays },
                        // Logs are read rarely after the first quarter; only worth a transition when kept longer.
                        transitions: args.retentionDays > coldAfter ? [{ days: coldAfter, storageClass: "GLACIER_IR" }] : undefined,
                        noncurrentVersionExpiration: { noncurrentDays: 1 },
                    },
                    { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                ],
            },
            o,
        );
        const policy = new aws.s3.BucketPolicy(
            `${name}-policy`,
            { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(accessLogBucketPolicy(arn, args))) },
            // The public access block refuses no policy here (none is public), but both edit the bucket's access: one at a time.
            { ...o, dependsOn: [publicAccess, ownership] },
        );
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.ready = [policy, encryption, ownership];
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}

/**
 * S3 server access logging of one bucket of record into the region's log bucket, under
 * `s3/<bucket>/` with date-partitioned keys. Call it for every bucket of record (replicas included).
 */
export function bucketAccessLogging(
    name: string,
    source: { readonly id: pulumi.Input<string>; readonly name: pulumi.Input<string> },
    logs: { readonly bucketName: pulumi.Input<string>; readonly ready: readonly pulumi.Resource[] },
    opts: pulumi.CustomResourceOptions,
): aws.s3.BucketLogging {
    return new aws.s3.BucketLogging(
        name,
        {
            bucket: source.id,
            targetBucket: logs.bucketName,
            targetPrefix: pulumi.interpolate`${logPrefixes.s3}/${source.name}/`,
            targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        },
        { ...opts, dependsOn: [...logs.ready] },
    );
}
