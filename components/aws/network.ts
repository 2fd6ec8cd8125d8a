import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface NetworkArgs {
    /** AWS region of this platform. */
    readonly region: string;
    /** The region's /16 (distinct per region, see `vpcCidrFor`). */
    readonly cidr: string;
    /** `per-az`: one NAT gateway per zone (staging/prod); `single`: one (dev). */
    readonly natGateways: "per-az" | "single";
    /** EKS cluster name, for the subnet discovery tags of the load balancer controller. */
    readonly clusterName: string;
    /** KMS key encrypting the flow-log group. */
    readonly logsKeyArn: pulumi.Input<string>;
    /** Days log groups keep events (environment profile). */
    readonly logRetentionDays: number;
}

/** The subnet plan of a /16: three public /22, three isolated /21, three private /18 (pods use prefix delegation). */
export interface SubnetPlan {
    readonly public: readonly string[];
    readonly isolated: readonly string[];
    readonly private: readonly string[];
}

/** Splits a VPC /16 into the three tiers over three zones. Pure; throws on anything but a /16. */
export function subnetPlan(cidr: string): SubnetPlan {
    const m = /^10\.(\d{1,3})\.0\.0\/16$/.exec(cidr);
    if (!m) {
        throw new Error(`expected a 10.x.0.0/16 VPC CIDR, got "${cidr}"`);
    }
    const b = `10.${m[1]}`;
    return {
        public: [`${b}.0.0/22`, `${b}.4.0/22`, `${b}.8.0/22`],
        isolated: [`${b}.16.0/21`, `${b}.24.0/21`, `${b}.32.0/21`],
        private: [`${b}.64.0/18`, `${b}.128.0/18`, `${b}.192.0/18`],
    };
}

/** Interface endpoints so workloads reach these AWS APIs without internet egress. */
export const interfaceEndpointServices = ["secretsmanager", "ecr.api", "ecr.dkr", "sts", "logs"] as const;

/**
 * A VPC over three zones: public (ALB, NAT), private (nodes, pods) and isolated data subnets (Aurora,
 * ElastiCache; no route out), flow logs, a locked default security group and private endpoints.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly cidr: string;
    readonly publicSubnetIds: pulumi.Output<string>[];
    readonly privateSubnetIds: pulumi.Output<string>[];
    readonly isolatedSubnetIds: pulumi.Output<string>[];
    /** Route tables of the private (node, pod) subnets: the cross-cloud VPN propagates its routes into these. */
    readonly privateRouteTableIds: pulumi.Output<string>[];
    readonly zones: pulumi.Output<string[]>;
    /** S3's address ranges in the region (the gateway endpoint's prefix list): NetworkPolicies name them. */
    readonly s3Cidrs: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:Network", name, {}, opts);
        const provider = opts.provider;
        const o = { parent: this, provider };
        const plan = subnetPlan(args.cidr);
        const azs = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, { parent: this, provider });
        this.zones = azs.names.apply((n) => n.slice(0, 3));
        const zone = (i: number) => azs.names.apply((n) => {
            if (n.length < 3) {
                throw new pulumi.ResourceError(`region ${args.region} has ${n.length} available zones; the platform needs 3`, this);
            }
            return n[i];
        });

        const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: `${name}-vpc` } }, o);
        this.vpcId = vpc.id;
        this.cidr = args.cidr;

        // The default SG with no rules: nothing can use it to talk to anything.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${name}-default-locked` } }, o);

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: `${name}-igw` } }, o);
        const publicRt = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags: { Name: `${name}-public` } }, o);

        const publicSubnets = plan.public.map(
            (cidr, i) =>
                new aws.ec2.Subnet(
                    `${name}-public-${i}`,
                    {
                        vpcId: vpc.id,
                        cidrBlock: cidr,
                        availabilityZone: zone(i),
                        mapPublicIpOnLaunch: false,
                        tags: { Name: `${name}-public-${i}`, tier: "public", "kubernetes.io/role/elb": "1", [`kubernetes.io/cluster/${args.clusterName}`]: "shared" },
                    },
                    o,
                ),
        );
        publicSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${i}-rta`, { subnetId: s.id, routeTableId: publicRt.id }, o));

        const natCount = args.natGateways === "per-az" ? 3 : 1;
        const nats = Array.from({ length: natCount }, (_, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i}-eip`, { domain: "vpc", tags: { Name: `${name}-nat-${i}` } }, o);
            return new aws.ec2.NatGateway(`${name}-nat-${i}`, { allocationId: eip.id, subnetId: publicSubnets[i].id, connectivityType: "public", tags: { Name: `${name}-nat-${i}` } }, { ...o, dependsOn: [igw] });
        });

        const privateRts = plan.private.map(
            (_, i) =>
                new aws.ec2.RouteTable(
                    `${name}-private-${i}-rt`,
                    // No inline routes: the default route and the peering routes (components/aws/region-peering.ts) are
                    // Route resources, since inline routes are authoritative and would remove the others.
                    { vpcId: vpc.id, tags: { Name: `${name}-private-${i}` } },
                    o,
                ),
        );
        // Per-AZ NAT keeps a zone's egress independent of the other zones.
        privateRts.forEach((rt, i) => new aws.ec2.Route(`${name}-private-${i}-default-route`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[Math.min(i, natCount - 1)].id }, o));
        const privateSubnets = plan.private.map(
            (cidr, i) =>
                new aws.ec2.Subnet(
                    `${name}-private-${i}`,
                    {
                        vpcId: vpc.id,
                        cidrBlock: cidr,
                        availabilityZone: zone(i),
                        tags: { Name: `${name}-private-${i}`, tier: "private", "kubernetes.io/role/internal-elb": "1", [`kubernetes.io/cluster/${args.clusterName}`]: "shared" },
                    },
                    o,
                ),
        );
        privateSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-private-${i}-rta`, { subnetId: s.id, routeTableId: privateRts[i].id }, o));

        // Isolated data tier: no default route at all.
        const isolatedRt = new aws.ec2.RouteTable(`${name}-isolated-rt`, { vpcId: vpc.id, tags: { Name: `${name}-isolated` } }, o);
        const isolatedSubnets = plan.isolated.map(
            (cidr, i) => new aws.ec2.Subnet(`${name}-isolated-${i}`, { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zone(i), tags: { Name: `${name}-isolated-${i}`, tier: "isolated" } }, o),
        );
        isolatedSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-isolated-${i}-rta`, { subnetId: s.id, routeTableId: isolatedRt.id }, o));

        // Flow logs (all traffic) to an encrypted log group.
        const flowLogGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, { name: `/aws/vpc/${name}/flow-logs`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn }, o);
        const flowRole = new aws.iam.Role(
            `${name}-flow-logs-role`,
            {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
            },
            o,
        );
        new aws.iam.RolePolicy(
            `${name}-flow-logs-policy`,
            {
                role: flowRole.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                            Resource: [flowLogGroup.arn, pulumi.interpolate`${flowLogGroup.arn}:*`],
                        },
                    ],
                }),
            },
            o,
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            { vpcId: vpc.id, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: flowLogGroup.arn, iamRoleArn: flowRole.arn, maxAggregationInterval: 60 },
            o,
        );

        // Endpoints: S3 as a gateway on the private route tables, the rest as interface endpoints.
        const s3 = new aws.ec2.VpcEndpoint(
            `${name}-s3-endpoint`,
            { vpcId: vpc.id, serviceName: `com.amazonaws.${args.region}.s3`, vpcEndpointType: "Gateway", routeTableIds: privateRts.map((r) => r.id), tags: { Name: `${name}-s3` } },
            o,
        );
        const endpointSg = new aws.ec2.SecurityGroup(
            `${name}-endpoints-sg`,
            {
                vpcId: vpc.id,
                description: "HTTPS from inside the VPC to the interface endpoints",
                ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [args.cidr], description: "VPC to endpoints" }],
                egress: [],
                tags: { Name: `${name}-endpoints` },
            },
            o,
        );
        for (const svc of interfaceEndpointServices) {
            new aws.ec2.VpcEndpoint(
                `${name}-${svc.replace(".", "-")}-endpoint`,
                {
                    vpcId: vpc.id,
                    serviceName: `com.amazonaws.${args.region}.${svc}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: privateSubnets.map((s) => s.id),
                    securityGroupIds: [endpointSg.id],
                    tags: { Name: `${name}-${svc}` },
                },
                o,
            );
        }

        this.s3Cidrs = s3.cidrBlocks;
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.isolatedSubnetIds = isolatedSubnets.map((s) => s.id);
        this.privateRouteTableIds = privateRts.map((r) => r.id);
        this.registerOutputs({ vpcId: this.vpcId, cidr: this.cidr, privateSubnetIds: this.privateSubnetIds });
    }
}
