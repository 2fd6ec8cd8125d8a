import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Secrets Manager rotation of an Aurora global primary's master password. Global databases cannot
 * use `manageMasterUserPassword` (RDS's own rotation), so the secret is rotated by AWS's
 * single-user PostgreSQL rotation function from the Serverless Application Repository, running in
 * the isolated data subnets next to the database and reaching Secrets Manager through the VPC's
 * interface endpoint.
 */

/** AWS's rotation template for a PostgreSQL user that changes its own password (pinned). */
export const postgresSingleUserRotationApp = {
    applicationId: "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser",
    semanticVersion: "1.1.671",
} as const;

/** Characters the rotation function never puts in a password: RDS refuses `/ @ " '` and space; `\` breaks URLs. */
export const rotationExcludedCharacters = "/@\"' \\";

/** The rotation function's security group: PostgreSQL inside the VPC and HTTPS to the interface endpoints, nothing else. */
export function rotationSecurityGroup(name: string, args: { readonly vpcId: pulumi.Input<string>; readonly vpcCidr: string; readonly identifier: string; readonly tags: Record<string, string> }, opts: pulumi.CustomResourceOptions): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
        name,
        {
            vpcId: args.vpcId,
            description: `${args.identifier}: master password rotation function`,
            ingress: [],
            egress: [
                { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: [args.vpcCidr], description: "the database" },
                { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.vpcCidr], description: "Secrets Manager interface endpoint" },
            ],
            tags: args.tags,
        },
        opts,
    );
}

export interface MasterSecretRotationArgs {
    /** `<service>-<environment>`: names the function and its stack. */
    readonly identifier: string;
    readonly region: string;
    readonly secretArn: pulumi.Input<string>;
    /** CMK the secret is encrypted with: the function may use it through Secrets Manager. */
    readonly secretsKeyArn: pulumi.Input<string>;
    readonly subnetIds: pulumi.Input<string>[];
    readonly securityGroupId: pulumi.Input<string>;
    readonly intervalDays: number;
    /** The secret's value must exist first: the function reads it on its first run. */
    readonly after: readonly pulumi.Resource[];
    readonly tags: Record<string, string>;
}

/** The rotation function (SAR stack) and the secret's rotation schedule. */
export function masterSecretRotation(name: string, args: MasterSecretRotationArgs, opts: pulumi.CustomResourceOptions): aws.secretsmanager.SecretRotation {
    const fn = new aws.serverlessrepository.CloudFormationStack(
        `${name}-function`,
        {
            name: `${args.identifier}-master-rotation`,
            applicationId: postgresSingleUserRotationApp.applicationId,
            semanticVersion: postgresSingleUserRotationApp.semanticVersion,
            // The template creates the function's role and the permission Secrets Manager invokes it by.
            capabilities: ["CAPABILITY_IAM", "CAPABILITY_RESOURCE_POLICY"],
            parameters: {
                endpoint: `https://secretsmanager.${args.region}.amazonaws.com`,
                functionName: `${args.identifier}-master-rotation`,
                vpcSubnetIds: pulumi.output(args.subnetIds).apply((ids) => ids.join(",")),
                vpcSecurityGroupIds: args.securityGroupId,
                kmsKeyArn: args.secretsKeyArn,
                excludeCharacters: rotationExcludedCharacters,
            },
            tags: args.tags,
        },
        opts,
    );
    return new aws.secretsmanager.SecretRotation(
        `${name}-schedule`,
        {
            secretId: args.secretArn,
            rotationLambdaArn: fn.outputs.apply((o) => o.RotationLambdaARN),
            rotationRules: { automaticallyAfterDays: args.intervalDays },
        },
        { ...opts, dependsOn: [...args.after] },
    );
}
