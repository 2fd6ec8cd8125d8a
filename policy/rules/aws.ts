import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { arr, isProtectedEnvironment, obj } from "./util";

/**
 * AWS rules (issue 3). Each looks only at the resource's own inputs (and its provider's default tags
 * for the environment), so `pulumi preview --policy-pack policy` and the offline plan agree.
 */

const nonEmpty = (v: unknown): boolean => typeof v === "string" && v.length > 0;

export const auroraEncryptedWithCmk: ResourceValidationPolicy = {
    name: "aws-aurora-encrypted-cmk",
    description: "Aurora clusters encrypt storage with a customer-managed KMS key (storageEncrypted and kmsKeyId).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "aws:rds/cluster:Cluster") {
            return;
        }
        if (args.props.storageEncrypted !== true) {
            report(`Aurora cluster "${args.name}" does not encrypt its storage (storageEncrypted)`);
        }
        if (!nonEmpty(args.props.kmsKeyId)) {
            report(`Aurora cluster "${args.name}" uses the AWS-managed key; set kmsKeyId to the database CMK`);
        }
    },
};

export const auroraNotPublic: ResourceValidationPolicy = {
    name: "aws-aurora-not-public",
    description: "Aurora instances are never publicly accessible (publiclyAccessible: false, stated explicitly).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === "aws:rds/clusterInstance:ClusterInstance" && args.props.publiclyAccessible !== false) {
            report(`Aurora instance "${args.name}" must set publiclyAccessible: false`);
        }
    },
};

export const auroraIamAuth: ResourceValidationPolicy = {
    name: "aws-aurora-iam-auth",
    description: "Aurora clusters enable IAM database authentication (a database role per service, no static passwords in apps).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === "aws:rds/cluster:Cluster" && args.props.iamDatabaseAuthenticationEnabled !== true) {
            report(`Aurora cluster "${args.name}" does not enable IAM database authentication`);
        }
    },
};

export const auroraProtectedBackups: ResourceValidationPolicy = {
    name: "aws-aurora-protection-backups",
    description: "In staging and prod, Aurora clusters have deletion protection and keep backups at least 7 days.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "aws:rds/cluster:Cluster" || !isProtectedEnvironment(args)) {
            return;
        }
        if (args.props.deletionProtection !== true) {
            report(`Aurora cluster "${args.name}" lacks deletion protection`);
        }
        const days = args.props.backupRetentionPeriod;
        // The provider's default is 1 day.
        if (typeof days !== "number" || days < 7) {
            report(`Aurora cluster "${args.name}" keeps backups ${typeof days === "number" ? days : 1} day(s); at least 7 required`);
        }
    },
};

export const redisEncryptedAuthMultiAz: ResourceValidationPolicy = {
    name: "aws-redis-encryption-auth-failover",
    description: "ElastiCache replication groups encrypt at rest and in transit, require AUTH, and run Multi-AZ with automatic failover.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "aws:elasticache/replicationGroup:ReplicationGroup") {
            return;
        }
        const p = args.props;
        const missing: string[] = [];
        if (p.atRestEncryptionEnabled !== true) missing.push("at-rest encryption");
        if (p.transitEncryptionEnabled !== true) missing.push("in-transit encryption");
        if (!nonEmpty(p.authToken) && arr(p.userGroupIds).length === 0) missing.push("AUTH (authToken or RBAC user groups)");
        if (p.multiAzEnabled !== true) missing.push("Multi-AZ");
        if (p.automaticFailoverEnabled !== true) missing.push("automatic failover");
        if (missing.length > 0) {
            report(`Redis "${args.name}" lacks ${missing.join(", ")}`);
        }
    },
};

/** The control-plane log types EKS offers; all must be on. */
export const eksLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

export const eksHardened: ResourceValidationPolicy = {
    name: "aws-eks-hardened",
    description: "EKS clusters: no public endpoint open to 0.0.0.0/0, Kubernetes secrets envelope-encrypted with KMS, every control-plane log type enabled.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== "aws:eks/cluster:Cluster") {
            return;
        }
        const vpc = obj(args.props.vpcConfig);
        // EKS defaults: public endpoint on, open to 0.0.0.0/0.
        if (vpc.endpointPublicAccess !== false) {
            const cidrs = arr(vpc.publicAccessCidrs);
            if (cidrs.length === 0 || cidrs.some((c) => typeof c === "string" && c.endsWith("/0"))) {
                report(`EKS cluster "${args.name}" exposes its API endpoint to the internet; turn it off or restrict publicAccessCidrs`);
            }
        }
        const enc = obj(args.props.encryptionConfig);
        if (!arr(enc.resources).includes("secrets") || !nonEmpty(obj(enc.provider).keyArn)) {
            report(`EKS cluster "${args.name}" does not envelope-encrypt secrets with a KMS key (encryptionConfig)`);
        }
        const logs = arr(args.props.enabledClusterLogTypes);
        const missing = eksLogTypes.filter((t) => !logs.includes(t));
        if (missing.length > 0) {
            report(`EKS cluster "${args.name}" lacks control-plane logs: ${missing.join(", ")}`);
        }
    },
};

export const imdsV2Required: ResourceValidationPolicy = {
    name: "aws-imdsv2-required",
    description: "Node launch templates require IMDSv2 (httpTokens: required); managed node groups use such a launch template.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === "aws:ec2/launchTemplate:LaunchTemplate" || args.type === "aws:ec2/instance:Instance") {
            if (obj(args.props.metadataOptions).httpTokens !== "required") {
                report(`"${args.name}" allows IMDSv1; set metadataOptions.httpTokens to "required"`);
            }
        }
        if (args.type === "aws:eks/nodeGroup:NodeGroup" && !nonEmpty(obj(args.props.launchTemplate).id) && !nonEmpty(obj(args.props.launchTemplate).name)) {
            report(`node group "${args.name}" has no launch template, so IMDSv2 is not enforced`);
        }
    },
};

export const kmsRotation: ResourceValidationPolicy = {
    name: "aws-kms-rotation",
    description: "Customer-managed KMS keys rotate their key material (enableKeyRotation).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        // Asymmetric (signing) keys cannot rotate automatically in KMS: a new key is a new authority.
        if (args.type === "aws:kms/key:Key" && args.props.enableKeyRotation !== true && args.props.keyUsage !== "SIGN_VERIFY") {
            report(`KMS key "${args.name}" does not rotate`);
        }
    },
};

export const secretsCmk: ResourceValidationPolicy = {
    name: "aws-secrets-cmk",
    description: "Secrets Manager secrets are encrypted with a customer-managed key (kmsKeyId).",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type === "aws:secretsmanager/secret:Secret" && !nonEmpty(args.props.kmsKeyId)) {
            report(`secret "${args.name}" uses the AWS-managed key; set kmsKeyId to the secrets CMK`);
        }
    },
};

export const awsPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    auroraEncryptedWithCmk,
    auroraNotPublic,
    auroraIamAuth,
    auroraProtectedBackups,
    redisEncryptedAuthMultiAz,
    eksHardened,
    imdsV2Required,
    kmsRotation,
    secretsCmk,
];
