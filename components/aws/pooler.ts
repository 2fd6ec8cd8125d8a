import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PoolerProfile } from "../../data/profiles/pooler";

/** PostgreSQL's port, on the proxy and the database. */
const postgresPort = 5432;


/** RDS Proxy names: a letter first, letters, digits and single hyphens, no trailing hyphen, ≤ 63. */
export const proxyNamePattern = /^[A-Za-z](?:-?[A-Za-z0-9])*$/;

/** The proxy's name for a service's database in an environment. */
export function proxyNameOf(service: string, environment: string): string {
    return `${service}-${environment}`;
}

/** Checks a pooler's settings before any resource; returns the problems. */
export function validatePooler(name: string, p: PoolerProfile): string[] {
    const problems: string[] = [];
    if (name.length > 63 || !proxyNamePattern.test(name)) {
        problems.push(`proxy name ${name} is not 1–63 letters, digits and single hyphens starting with a letter`);
    }
    if (p.maxConnectionsPercent < 1 || p.maxConnectionsPercent > 100) {
        problems.push(`maxConnectionsPercent ${p.maxConnectionsPercent} outside 1–100`);
    }
    if (p.maxIdleConnectionsPercent < 0 || p.maxIdleConnectionsPercent > p.maxConnectionsPercent) {
        problems.push(`maxIdleConnectionsPercent ${p.maxIdleConnectionsPercent} outside 0–maxConnectionsPercent (${p.maxConnectionsPercent})`);
    }
    if (p.borrowTimeoutSeconds < 0 || p.borrowTimeoutSeconds > 3600) {
        problems.push(`connectionBorrowTimeout ${p.borrowTimeoutSeconds} outside 0–3600 s`);
    }
    if (p.idleClientTimeoutSeconds < 1 || p.idleClientTimeoutSeconds > 28800) {
        problems.push(`idleClientTimeout ${p.idleClientTimeoutSeconds} outside 1–28800 s`);
    }
    return problems;
}

/** `arn:aws:rds:<region>:<account>:db-proxy:prx-…` → `prx-…`, the id IAM's `rds-db:connect` resource names. */
export function proxyResourceIdOf(arn: string): string {
    return arn.split(":").pop() ?? "";
}

export interface PoolerSecurityGroupArgs {
    readonly service: string;
    readonly vpcId: pulumi.Input<string>;
    readonly vpcCidr: string;
    /** The EKS cluster security group: the only client source on 5432. */
    readonly clientSecurityGroupId: pulumi.Input<string>;
}

/**
 * The proxy's security group, made before the database so the database's group can admit it: 5432
 * from the EKS cluster only, 5432 out to the VPC (the isolated data subnets) only.
 */
export function poolerSecurityGroup(name: string, args: PoolerSecurityGroupArgs, opts: pulumi.CustomResourceOptions): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
        name,
        {
            vpcId: args.vpcId,
            description: `${args.service} RDS Proxy: PostgreSQL from the EKS cluster, to the database`,
            ingress: [{ protocol: "tcp", fromPort: postgresPort, toPort: postgresPort, securityGroups: [args.clientSecurityGroupId], description: "EKS nodes and pods" }],
            egress: [{ protocol: "tcp", fromPort: postgresPort, toPort: postgresPort, cidrBlocks: [args.vpcCidr], description: "Aurora in the isolated subnets" }],
            tags: { service: args.service, role: "pooler" },
        },
        opts,
    );
}

export interface DatabasePoolerArgs {
    readonly service: string;
    readonly environment: string;
    readonly region: string;
    readonly accountId: string;
    /** The Aurora cluster the proxy fronts (its writer). */
    readonly clusterIdentifier: pulumi.Input<string>;
    readonly clusterResourceId: pulumi.Input<string>;
    /** Database users the proxy logs in as with IAM (the service's own role). */
    readonly dbUsers: readonly string[];
    readonly subnetIds: pulumi.Input<string>[];
    readonly securityGroupId: pulumi.Input<string>;
    readonly profile: PoolerProfile;
    readonly logsKeyArn: pulumi.Input<string>;
    readonly logRetentionDays: number;
    /** The cluster's writer must exist before a target registers. */
    readonly after: pulumi.Input<pulumi.Resource>[];
}

/**
 * RDS Proxy in front of one service's Aurora writer (seeds 002 §4 and 003 §5: a transaction-mode
 * pool). End-to-end IAM authentication (`defaultAuthScheme: IAM_AUTH`): clients present IAM tokens,
 * the proxy logs in to Aurora with IAM as well, so no database password exists anywhere; TLS
 * required; the default target group caps the server pool at `maxConnectionsPercent` of
 * `max_connections`. The proxy is multi-AZ and managed: nothing to patch, no image to pin.
 */
export class DatabasePooler extends pulumi.ComponentResource {
    readonly proxy: aws.rds.Proxy;
    readonly endpoint: pulumi.Output<string>;
    /** `prx-…`: clients' `rds-db:connect` names it. */
    readonly proxyResourceId: pulumi.Output<string>;
    readonly port = postgresPort;

    constructor(name: string, args: DatabasePoolerArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:DatabasePooler", name, {}, opts);
        const proxyName = proxyNameOf(args.service, args.environment);
        const problems = validatePooler(proxyName, args.profile);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`RDS Proxy for ${args.service}:\n  - ${problems.join("\n  - ")}`, this);
        }
        const o = { parent: this, provider: opts.provider };
        const tags = { service: args.service };

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                description: `${proxyName} RDS Proxy: IAM login to its database`,
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { Service: "rds.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                        },
                    ],
                }),
                tags,
            },
            o,
        );
        new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "ConnectAsServiceUsers",
                            Effect: "Allow",
                            Action: "rds-db:connect",
                            Resource: args.dbUsers.map((u) => pulumi.interpolate`arn:aws:rds-db:${args.region}:${args.accountId}:dbuser:${args.clusterResourceId}/${u}`),
                        },
                    ],
                }),
            },
            o,
        );
        // The proxy's own log group exists before it, so it is encrypted and expires (RDS would create it plain, kept forever).
        new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/aws/rds/proxy/${proxyName}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn, tags }, o);

        this.proxy = new aws.rds.Proxy(
            `${name}-proxy`,
            {
                name: proxyName,
                engineFamily: "POSTGRESQL",
                defaultAuthScheme: "IAM_AUTH",
                requireTls: true,
                debugLogging: false,
                idleClientTimeout: args.profile.idleClientTimeoutSeconds,
                roleArn: role.arn,
                vpcSubnetIds: args.subnetIds,
                vpcSecurityGroupIds: [args.securityGroupId],
                tags,
            },
            o,
        );
        new aws.rds.ProxyDefaultTargetGroup(
            `${name}-target-group`,
            {
                dbProxyName: this.proxy.name,
                connectionPoolConfig: {
                    maxConnectionsPercent: args.profile.maxConnectionsPercent,
                    maxIdleConnectionsPercent: args.profile.maxIdleConnectionsPercent,
                    connectionBorrowTimeout: args.profile.borrowTimeoutSeconds,
                    // PostgreSQL has no pinning filter (EXCLUDE_VARIABLE_SETS is MySQL only): pinned sessions are measured, not hidden.
                    sessionPinningFilters: [],
                },
            },
            o,
        );
        new aws.rds.ProxyTarget(`${name}-target`, { dbProxyName: this.proxy.name, targetGroupName: "default", dbClusterIdentifier: args.clusterIdentifier }, { ...o, dependsOn: args.after });
        this.endpoint = this.proxy.endpoint;
        this.proxyResourceId = this.proxy.arn.apply(proxyResourceIdOf);
        this.registerOutputs({ endpoint: this.endpoint, proxyResourceId: this.proxyResourceId });
    }
}
