import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { keyPolicy } from "../components/aws/kms";

export interface PipelineRunnerArgs {
    /** AWS account of the served stack (runners, their role and logs live there). */
    readonly accountId: string;
    /** Region of the runners: the served stack's first active AWS region. */
    readonly region: string;
    /** The runner VPC's /22. */
    readonly vpcCidr: string;
    /** CodeBuild project name; the workflow label is `codebuild-<projectName>-<run id>-<attempt>`. */
    readonly projectName: string;
    /** `owner/name` of the GitHub repository whose workflow jobs the runners take. */
    readonly repository: string;
    /**
     * The GitHub connection's one-time console handshake is done (its status is AVAILABLE). Until
     * then the CodeBuild project and its webhook are not created: GitHub cannot be reached through
     * a PENDING connection.
     */
    readonly connectionAuthorized: boolean;
    /** Days the runner build logs are kept (environment profile). */
    readonly logRetentionDays: number;
    /** KMS key deletion window (environment profile). */
    readonly kmsDeletionWindowDays: number;
    /** Pulumi `protect` for the logs key and the NAT addresses (staging/prod). */
    readonly protect: boolean;
}

/** The four subnets of the runner /22: two private /24s (build ENIs), two public /26s (NAT gateways only). */
export function runnerSubnets(vpcCidr: string): { private: [string, string]; public: [string, string] } {
    const [a, b, c] = vpcCidr.split("/")[0].split(".").map(Number);
    return {
        private: [`${a}.${b}.${c}.0/24`, `${a}.${b}.${c + 1}.0/24`],
        public: [`${a}.${b}.${c + 2}.0/26`, `${a}.${b}.${c + 2}.64/26`],
    };
}

/** The only traffic a runner sends: HTTPS (GitHub, npm, Pulumi Cloud, AWS and Google APIs, EKS endpoints, Helm repositories). DNS goes to the VPC resolver, which security groups do not filter. */
export const runnerEgressPorts = [443] as const;

/** Curated CodeBuild image (Ubuntu 22.04): Node.js and the AWS CLI v2 (which `aws eks get-token` needs) preinstalled. */
export const runnerImage = "aws/codebuild/standard:7.0";

function serviceAssume(service: string, accountId: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        // aws:SourceAccount: only CodeBuild acting for this account may assume the role (confused deputy).
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } }],
    });
}

/**
 * GitHub Actions runners for one stack of the main program, hosted by CodeBuild inside a small VPC
 * of their own: private subnets for the build containers, NAT gateways whose Elastic IPs are the
 * pipeline's only egress addresses (the EKS public endpoints admit exactly those), a security group
 * that lets out HTTPS only, a least-privilege service role under a permissions boundary, the GitHub
 * connection and an encrypted log group with retention.
 */
export class PipelineRunner extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    /** The NAT gateways' addresses as /32s. */
    readonly egressCidrs: pulumi.Output<string[]>;
    readonly connectionArn: pulumi.Output<string>;
    readonly connectionStatus: pulumi.Output<string>;
    readonly project?: aws.codebuild.Project;

    constructor(name: string, args: PipelineRunnerArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:bootstrap:PipelineRunner", name, {}, opts);
        const o = { parent: this, provider: opts.provider };
        const subnets = runnerSubnets(args.vpcCidr);
        // Two zones, one private and one public subnet each.
        const azs = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, o);
        const zone = (i: number) =>
            azs.names.apply((n) => {
                if (n.length < 2) {
                    throw new pulumi.ResourceError(`region ${args.region} has ${n.length} available zone(s); the runners need 2`, this);
                }
                return n[i];
            });

        // Build logs are encrypted with a key of their own (the logs data class' policy) and kept for the profile's retention.
        const logsKey = new aws.kms.Key(
            `${name}-logs-key`,
            {
                description: `CodeBuild runner logs of ${args.projectName}`,
                enableKeyRotation: true,
                deletionWindowInDays: args.kmsDeletionWindowDays,
                policy: JSON.stringify(keyPolicy("logs", args.accountId, args.region)),
            },
            { ...o, protect: args.protect },
        );
        new aws.kms.Alias(`${name}-logs-key-alias`, { name: `alias/${args.projectName}-logs`, targetKeyId: logsKey.keyId }, o);
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/aws/codebuild/${args.projectName}`, retentionInDays: args.logRetentionDays, kmsKeyId: logsKey.arn },
            o,
        );

        const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: args.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: args.projectName } }, o);
        this.vpcId = vpc.id;
        // The default security group allows all traffic between its members: emptied so nothing uses it by accident.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id }, o);
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id }, o);
        const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] }, o);

        const privateSubnets: aws.ec2.Subnet[] = [];
        const eips: aws.ec2.Eip[] = [];
        for (const i of [0, 1]) {
            const z = `z${i + 1}`;
            const pub = new aws.ec2.Subnet(
                `${name}-public-${z}`,
                { vpcId: vpc.id, cidrBlock: subnets.public[i], availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: { Name: `${args.projectName}-public-${z}` } },
                o,
            );
            new aws.ec2.RouteTableAssociation(`${name}-public-${z}-rta`, { subnetId: pub.id, routeTableId: publicRoutes.id }, o);
            // One NAT gateway per zone: a zone outage does not stop the pipeline, and each address is fixed for the clusters' allow-lists.
            // Protected in staging/prod: a new address would lock the pipeline out of the clusters until their allow-lists follow.
            const eip = new aws.ec2.Eip(`${name}-nat-${z}-eip`, { domain: "vpc", tags: { Name: `${args.projectName}-nat-${z}` } }, { ...o, dependsOn: [igw], protect: args.protect });
            eips.push(eip);
            const nat = new aws.ec2.NatGateway(`${name}-nat-${z}`, { allocationId: eip.id, subnetId: pub.id, connectivityType: "public", tags: { Name: `${args.projectName}-${z}` } }, o);
            const priv = new aws.ec2.Subnet(
                `${name}-private-${z}`,
                { vpcId: vpc.id, cidrBlock: subnets.private[i], availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: { Name: `${args.projectName}-private-${z}` } },
                o,
            );
            const rt = new aws.ec2.RouteTable(`${name}-private-${z}-rt`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] }, o);
            new aws.ec2.RouteTableAssociation(`${name}-private-${z}-rta`, { subnetId: priv.id, routeTableId: rt.id }, o);
            privateSubnets.push(priv);
        }
        this.egressCidrs = pulumi.all(eips.map((e) => e.publicIp)).apply((ips) => ips.map((ip) => `${ip}/32`));

        // No ingress at all (runners poll GitHub); egress HTTPS only.
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: vpc.id,
                description: `CodeBuild runners of ${args.projectName}: egress HTTPS only`,
                ingress: [],
                egress: runnerEgressPorts.map((port) => ({ description: "HTTPS to GitHub, registries and cloud APIs", protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ["0.0.0.0/0"] })),
                revokeRulesOnDelete: true,
            },
            o,
        );

        // GitHub through a CodeConnections connection (no personal token stored). Created PENDING:
        // an admin completes the handshake once in the console (Developer Tools → Connections).
        const connection = new aws.codeconnections.Connection(`${name}-github`, { name: `github-${args.projectName.replace(/^learning-platform-/, "")}`.slice(0, 32), providerType: "GitHub" }, o);
        this.connectionArn = connection.arn;
        this.connectionStatus = connection.connectionStatus;

        // The runner role can do what a build needs and nothing else: write its logs, place its ENIs
        // in the runner subnets, use the GitHub connection. It holds no deploy permissions: the jobs
        // get those through GitHub OIDC (the deploy roles trust the repository and environment claims).
        const subnetArns = privateSubnets.map((s) => pulumi.interpolate`arn:aws:ec2:${args.region}:${args.accountId}:subnet/${s.id}`);
        const statements = (logGroupArn: pulumi.Input<string>, connectionArn: pulumi.Input<string>) => [
            { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [pulumi.interpolate`${logGroupArn}:*`] },
            {
                Sid: "VpcEnis",
                Effect: "Allow",
                Action: ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeDhcpOptions", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
                Resource: "*",
            },
            {
                Sid: "VpcEniPermission",
                Effect: "Allow",
                Action: "ec2:CreateNetworkInterfacePermission",
                Resource: `arn:aws:ec2:${args.region}:${args.accountId}:network-interface/*`,
                Condition: { StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" }, ArnEquals: { "ec2:Subnet": subnetArns } },
            },
            { Sid: "GitHubConnection", Effect: "Allow", Action: ["codeconnections:GetConnection", "codeconnections:GetConnectionToken", "codeconnections:UseConnection"], Resource: [connectionArn] },
        ];
        // The boundary caps the role even if someone later attaches a broader policy to it.
        const boundary = new aws.iam.Policy(
            `${name}-boundary`,
            {
                name: `${args.projectName}-boundary`,
                description: `Permissions boundary of the CodeBuild runners of ${args.projectName}`,
                policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements(logGroup.arn, connection.arn) }),
            },
            o,
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            { name: `${args.projectName}-runner`, assumeRolePolicy: serviceAssume("codebuild.amazonaws.com", args.accountId), permissionsBoundary: boundary.arn, maxSessionDuration: 3600 },
            o,
        );
        const rolePolicy = new aws.iam.RolePolicy(`${name}-role-policy`, { role: role.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements(logGroup.arn, connection.arn) }) }, o);

        if (args.connectionAuthorized) {
            this.project = new aws.codebuild.Project(
                `${name}-project`,
                {
                    name: args.projectName,
                    description: `GitHub Actions runners (pulumi preview/up) of ${args.repository}`,
                    serviceRole: role.arn,
                    artifacts: { type: "NO_ARTIFACTS" },
                    environment: { type: "LINUX_CONTAINER", computeType: "BUILD_GENERAL1_MEDIUM", image: runnerImage, imagePullCredentialsType: "CODEBUILD", privilegedMode: false },
                    source: {
                        type: "GITHUB",
                        location: `https://github.com/${args.repository}.git`,
                        auth: { type: "CODECONNECTIONS", resource: connection.arn },
                        gitCloneDepth: 1,
                    },
                    vpcConfig: { vpcId: vpc.id, subnets: privateSubnets.map((s) => s.id), securityGroupIds: [sg.id] },
                    logsConfig: { cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name }, s3Logs: { status: "DISABLED" } },
                    // A `pulumi up` of the largest stack stays well inside an hour; a hung job is cut off.
                    buildTimeout: 90,
                    queuedTimeout: 60,
                    // The PR previews and one up of this stack at once, no more.
                    concurrentBuildLimit: 4,
                    projectVisibility: "PRIVATE",
                },
                // CodeBuild checks the role's VPC permissions when the project is created.
                { ...o, dependsOn: [rolePolicy] },
            );
            new aws.codebuild.Webhook(
                `${name}-webhook`,
                {
                    projectName: this.project.name,
                    buildType: "BUILD",
                    // A queued workflow job whose runs-on label names this project starts one ephemeral runner.
                    filterGroups: [{ filters: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }],
                },
                o,
            );
        }
        this.registerOutputs({ vpcId: this.vpcId, egressCidrs: this.egressCidrs, connectionArn: this.connectionArn });
    }
}
