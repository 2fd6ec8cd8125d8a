import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Data classes with their own customer-managed key: a leaked grant on one class exposes only that class. */
export const dataClasses = ["database", "cache", "secrets", "cluster-secrets", "logs", "object-storage", "volumes"] as const;
export type DataClass = (typeof dataClasses)[number];

export interface KmsKeysArgs {
    /** AWS account that owns the keys; the account root is the key-policy administrator. */
    readonly accountId: string;
    /** AWS region of this platform. */
    readonly region: string;
    /** Waiting period before a scheduled key deletion (7–30 days). */
    readonly deletionWindowDays: number;
    /** Pulumi `protect` for the keys (staging/prod). */
    readonly protect: boolean;
    /** Alias prefix, e.g. `learning-prod`; aliases are `alias/<prefix>-<class>`. */
    readonly aliasPrefix: string;
}

type Statement = Record<string, unknown>;

/**
 * The key policy of one data class: the account root administers (IAM policies then grant use, the
 * AWS-recommended delegation), plus the service principals that must use the key directly. No "*".
 */
export function keyPolicy(dataClass: DataClass, accountId: string, region: string): { Version: string; Statement: Statement[] } {
    const statements: Statement[] = [
        {
            Sid: "AccountRootAdministers",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        },
    ];
    if (dataClass === "logs") {
        // CloudWatch Logs encrypts log groups itself; scoped to this account's log groups in this region.
        statements.push({
            Sid: "CloudWatchLogsUse",
            Effect: "Allow",
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:*` } },
        });
    }
    if (dataClass === "object-storage") {
        // CloudFront's origin access control reads SSE-KMS objects of the drafts buckets (components/aws/cdn.ts):
        // this account's distributions only, and only through S3 in this region.
        statements.push({
            Sid: "CloudFrontOriginAccessDecrypt",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: { ArnLike: { "AWS:SourceArn": `arn:aws:cloudfront::${accountId}:distribution/*` }, StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
        });
    }
    if (dataClass === "volumes") {
        // Managed node groups launch through Auto Scaling, whose service-linked role must use the key for encrypted root volumes.
        const asg = `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
        statements.push(
            {
                Sid: "AutoScalingUse",
                Effect: "Allow",
                Principal: { AWS: asg },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
                Resource: "*",
            },
            {
                Sid: "AutoScalingGrants",
                Effect: "Allow",
                Principal: { AWS: asg },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        );
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** One customer-managed key per data class, rotation on, with an alias. */
export class KmsKeys extends pulumi.ComponentResource {
    readonly keys: Readonly<Record<DataClass, aws.kms.Key>>;
    readonly arns: Readonly<Record<DataClass, pulumi.Output<string>>>;

    constructor(name: string, args: KmsKeysArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:KmsKeys", name, {}, opts);
        const keys = {} as Record<DataClass, aws.kms.Key>;
        const arns = {} as Record<DataClass, pulumi.Output<string>>;
        for (const dataClass of dataClasses) {
            const key = new aws.kms.Key(
                `${name}-${dataClass}`,
                {
                    description: `${args.aliasPrefix} ${dataClass} (${args.region})`,
                    enableKeyRotation: true,
                    rotationPeriodInDays: 365,
                    deletionWindowInDays: args.deletionWindowDays,
                    keyUsage: "ENCRYPT_DECRYPT",
                    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                    policy: JSON.stringify(keyPolicy(dataClass, args.accountId, args.region)),
                    tags: { "data-class": dataClass },
                },
                { parent: this, provider: opts.provider, protect: args.protect },
            );
            new aws.kms.Alias(`${name}-${dataClass}-alias`, { name: `alias/${args.aliasPrefix}-${dataClass}`, targetKeyId: key.keyId }, { parent: this, provider: opts.provider });
            keys[dataClass] = key;
            arns[dataClass] = key.arn;
        }
        this.keys = keys;
        this.arns = arns;
        this.registerOutputs({ arns });
    }
}
