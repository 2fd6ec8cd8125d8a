import { CallFn, OutputFn } from "./types";

/** Three zones per region, as `aws.getAvailabilityZones` answers for every region this program uses. */
const zoneSuffixes = ["a", "b", "c"];

/** A stable pseudo-random hex string per seed, for ids the cloud would generate. */
function hex(seed: string, length: number): string {
    let h = 2166136261;
    let out = "";
    while (out.length < length) {
        for (const c of seed + out.length) {
            h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
        }
        out += h.toString(16).padStart(8, "0");
    }
    return out.slice(0, length);
}

function str(v: unknown, fallback: string): string {
    return typeof v === "string" && v !== "" ? v : fallback;
}

/** Computed attributes of AWS resources the program reads. */
export const awsOutputs: Record<string, OutputFn> = {
    "aws:kms/key:Key": (args, ctx) => {
        const keyId = `${hex(args.name, 8)}-${hex(args.name + "1", 4)}-${hex(args.name + "2", 4)}-${hex(args.name + "3", 4)}-${hex(args.name + "4", 12)}`;
        return { keyId, arn: `arn:aws:kms:${ctx.regionOf(args.provider)}:${ctx.accountId}:key/${keyId}`, id: keyId };
    },
    "aws:ec2/vpc:Vpc": (args) => ({ id: `vpc-${hex(args.name, 17)}` }),
    "aws:ec2/subnet:Subnet": (args) => ({ id: `subnet-${hex(args.name, 17)}` }),
    "aws:ec2/securityGroup:SecurityGroup": (args) => ({ id: `sg-${hex(args.name, 17)}` }),
    "aws:ec2/natGateway:NatGateway": (args) => ({ id: `nat-${hex(args.name, 17)}` }),
    "aws:ec2/internetGateway:InternetGateway": (args) => ({ id: `igw-${hex(args.name, 17)}` }),
    "aws:ec2/routeTable:RouteTable": (args) => ({ id: `rtb-${hex(args.name, 17)}` }),
    "aws:ec2/eip:Eip": (args) => ({ id: `eipalloc-${hex(args.name, 17)}`, publicIp: `198.51.100.${parseInt(hex(args.name, 2), 16) % 250}` }),
    /** Gateway endpoints expose the service's prefix list and its public ranges (S3's, per region). */
    "aws:ec2/vpcEndpoint:VpcEndpoint": (args, ctx) => {
        const region = ctx.regionOf(args.provider);
        const id = `vpce-${hex(args.name, 17)}`;
        if (args.inputs.vpcEndpointType !== "Gateway") {
            return { id, dnsEntries: [{ dnsName: `${id}.${String(args.inputs.serviceName).split(".").slice(3).join(".")}.${region}.vpce.amazonaws.com`, hostedZoneId: "Z7HUB22UULQXV" }] };
        }
        // S3's published us-east-1 ranges stand in for every region (the shape is what the program reads).
        return { id, prefixListId: `pl-${hex(region, 8)}`, cidrBlocks: ["3.5.0.0/19", "52.216.0.0/15", "54.231.0.0/16"] };
    },
    "aws:ec2/launchTemplate:LaunchTemplate": (args) => ({ id: `lt-${hex(args.name, 17)}`, latestVersion: 1, defaultVersion: 1 }),
    "aws:iam/role:Role": (args, ctx) => ({ arn: `arn:aws:iam::${ctx.accountId}:role/${args.name}`, name: args.name, id: args.name }),
    "aws:cloudwatch/logGroup:LogGroup": (args, ctx) => {
        const name = str(args.inputs.name, args.name);
        return { name, id: name, arn: `arn:aws:logs:${ctx.regionOf(args.provider)}:${ctx.accountId}:log-group:${name}` };
    },
    "aws:eks/cluster:Cluster": (args, ctx) => {
        const region = ctx.regionOf(args.provider);
        const name = str(args.inputs.name, args.name);
        const oidcId = hex(name, 32).toUpperCase();
        const vpc = (args.inputs.vpcConfig ?? {}) as Record<string, unknown>;
        return {
            name,
            id: name,
            arn: `arn:aws:eks:${region}:${ctx.accountId}:cluster/${name}`,
            endpoint: `https://${oidcId}.gr7.${region}.eks.amazonaws.com`,
            certificateAuthority: { data: Buffer.from(`-----BEGIN CERTIFICATE-----\nMIIC${hex(name, 40)}\n-----END CERTIFICATE-----\n`).toString("base64") },
            identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${oidcId}` }] }],
            vpcConfig: { ...vpc, clusterSecurityGroupId: `sg-${hex(name + "cluster", 17)}`, vpcId: `vpc-${hex(name, 17)}` },
            platformVersion: "eks.1",
            status: "ACTIVE",
        };
    },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (args, ctx) => {
        const url = str(args.inputs.url, "https://oidc.example").replace(/^https:\/\//, "");
        return { arn: `arn:aws:iam::${ctx.accountId}:oidc-provider/${url}`, id: `arn:aws:iam::${ctx.accountId}:oidc-provider/${url}` };
    },
    "aws:eks/accessEntry:AccessEntry": (args) => ({ principalArn: args.inputs.principalArn }),
    "aws:eks/nodeGroup:NodeGroup": (args) => ({ nodeGroupName: `${str(args.inputs.nodeGroupNamePrefix, "ng-")}${hex(args.name, 12)}`, status: "ACTIVE" }),
    "aws:rds/cluster:Cluster": (args, ctx) => {
        const region = ctx.regionOf(args.provider);
        const id = str(args.inputs.clusterIdentifier, args.name);
        const suffix = hex(ctx.accountId + region, 12);
        const managed = args.inputs.manageMasterUserPassword === true;
        return {
            id,
            clusterIdentifier: id,
            arn: `arn:aws:rds:${region}:${ctx.accountId}:cluster:${id}`,
            endpoint: `${id}.cluster-${suffix}.${region}.rds.amazonaws.com`,
            readerEndpoint: `${id}.cluster-ro-${suffix}.${region}.rds.amazonaws.com`,
            clusterResourceId: `cluster-${hex(id + region, 26).toUpperCase()}`,
            masterUserSecrets: managed
                ? [{ secretArn: `arn:aws:secretsmanager:${region}:${ctx.accountId}:secret:rds!cluster-${hex(id, 8)}-${hex(id, 6)}`, kmsKeyId: args.inputs.masterUserSecretKmsKeyId, secretStatus: "active" }]
                : [],
        };
    },
    "aws:rds/globalCluster:GlobalCluster": (args, ctx) => {
        const id = str(args.inputs.globalClusterIdentifier, args.name);
        return { id, arn: `arn:aws:rds::${ctx.accountId}:global-cluster:${id}`, globalClusterResourceId: `cluster-${hex(id, 26).toUpperCase()}` };
    },
    "aws:rds/clusterInstance:ClusterInstance": (args, ctx) => {
        const region = ctx.regionOf(args.provider);
        const id = str(args.inputs.identifier, args.name);
        return { id, endpoint: `${id}.${hex(ctx.accountId + region, 12)}.${region}.rds.amazonaws.com`, port: 5432, writer: false };
    },
    "aws:rds/subnetGroup:SubnetGroup": (args) => ({ name: str(args.inputs.name, args.name), id: str(args.inputs.name, args.name) }),
    "aws:rds/parameterGroup:ParameterGroup": (args) => ({ name: str(args.inputs.name, args.name), id: str(args.inputs.name, args.name) }),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": (args) => ({ name: str(args.inputs.name, args.name), id: str(args.inputs.name, args.name) }),
    "aws:elasticache/replicationGroup:ReplicationGroup": (args, ctx) => {
        const region = ctx.regionOf(args.provider);
        const id = str(args.inputs.replicationGroupId, args.name);
        return { id, configurationEndpointAddress: `clustercfg.${id}.${hex(id + region, 6)}.${region === "us-east-1" ? "use1" : region.replace(/-/g, "")}.cache.amazonaws.com`, memberClusters: [] };
    },
    "aws:elasticache/subnetGroup:SubnetGroup": (args) => ({ name: str(args.inputs.name, args.name), id: str(args.inputs.name, args.name) }),
    "aws:elasticache/parameterGroup:ParameterGroup": (args) => ({ name: str(args.inputs.name, args.name), id: str(args.inputs.name, args.name) }),
    "aws:secretsmanager/secret:Secret": (args, ctx) => {
        const name = str(args.inputs.name, args.name);
        const arn = `arn:aws:secretsmanager:${ctx.regionOf(args.provider)}:${ctx.accountId}:secret:${name}-${hex(name, 6)}`;
        return { arn, id: arn, name };
    },
    "aws:acm/certificate:Certificate": (args, ctx) => {
        const domain = str(args.inputs.domainName, "example.com").replace(/^\*\./, "");
        const arn = `arn:aws:acm:${ctx.regionOf(args.provider)}:${ctx.accountId}:certificate/${hex(args.name, 8)}-${hex(args.name, 4)}`;
        const record = { resourceRecordName: `_${hex(domain, 32)}.${domain}.`, resourceRecordType: "CNAME", resourceRecordValue: `_${hex(domain + "v", 32)}.acm-validations.aws.` };
        return { arn, id: arn, domainValidationOptions: [{ domainName: `*.${domain}`, ...record }, { domainName: domain, ...record }], status: "PENDING_VALIDATION" };
    },
    "aws:acm/certificateValidation:CertificateValidation": (args) => ({ certificateArn: args.inputs.certificateArn, id: String(args.inputs.certificateArn) }),
    "aws:route53/record:Record": (args) => ({ fqdn: str(args.inputs.name, args.name).replace(/\.$/, "") }),
    "aws:route53/zone:Zone": (args) => {
        const zoneId = `Z${hex(args.name, 20).toUpperCase()}`;
        return { id: zoneId, zoneId, arn: `arn:aws:route53:::hostedzone/${zoneId}`, nameServers: [] };
    },
    "aws:ec2/vpnGateway:VpnGateway": (args) => ({ id: `vgw-${hex(args.name, 17)}`, amazonSideAsn: str(args.inputs.amazonSideAsn, "64512") }),
    "aws:ec2/customerGateway:CustomerGateway": (args) => ({ id: `cgw-${hex(args.name, 17)}` }),
    /**
     * A VPN connection's two tunnels: outside IPs from 198.51.100.0/24 (documentation range), inside
     * addresses from the requested /30s (AWS takes the first host, the customer gateway the second).
     */
    "aws:ec2/vpnConnection:VpnConnection": (args) => {
        const inside = (cidr: unknown, host: number) => {
            const m = /^(\d+\.\d+\.\d+)\.(\d+)\/30$/.exec(String(cidr ?? ""));
            return m ? `${m[1]}.${Number(m[2]) + host}` : undefined;
        };
        const outside = (t: number) => `198.51.100.${(parseInt(hex(args.name + t, 4), 16) % 250) + 1}`;
        return {
            id: `vpn-${hex(args.name, 17)}`,
            tunnel1Address: outside(1),
            tunnel2Address: outside(2),
            tunnel1VgwInsideAddress: inside(args.inputs.tunnel1InsideCidr, 1),
            tunnel1CgwInsideAddress: inside(args.inputs.tunnel1InsideCidr, 2),
            tunnel2VgwInsideAddress: inside(args.inputs.tunnel2InsideCidr, 1),
            tunnel2CgwInsideAddress: inside(args.inputs.tunnel2InsideCidr, 2),
            customerGatewayConfiguration: "[secret]",
        };
    },
    "aws:lb/loadBalancer:LoadBalancer": (args, ctx) => {
        const region = ctx.regionOf(args.provider);
        const name = str(args.inputs.name, args.name);
        return {
            arn: `arn:aws:elasticloadbalancing:${region}:${ctx.accountId}:loadbalancer/app/${name}/${hex(name, 16)}`,
            dnsName: `${name}-${parseInt(hex(name + region, 8), 16)}.${region}.elb.amazonaws.com`,
            zoneId: "Z35SXDOTRQ7X7K",
        };
    },
    "aws:lb/targetGroup:TargetGroup": (args, ctx) => {
        const name = str(args.inputs.name, args.name);
        return { arn: `arn:aws:elasticloadbalancing:${ctx.regionOf(args.provider)}:${ctx.accountId}:targetgroup/${name}/${hex(name, 16)}` };
    },
    "aws:wafv2/ipSet:IpSet": (args, ctx) => ({ arn: `arn:aws:wafv2:${ctx.regionOf(args.provider)}:${ctx.accountId}:regional/ipset/${args.name}/${hex(args.name, 8)}` }),
    "aws:wafv2/webAcl:WebAcl": (args, ctx) => ({ arn: `arn:aws:wafv2:${ctx.regionOf(args.provider)}:${ctx.accountId}:regional/webacl/${args.name}/${hex(args.name, 8)}` }),
    /**
     * `@pulumi/random` passwords (used by this platform for AUTH tokens, NATS users, signing keys and
     * the global databases' master passwords): a deterministic value of the requested length and its
     * bcrypt-shaped hash. Listed here because the AWS platform is their first user; any cloud gets them.
     */
    "random:index/randomPassword:RandomPassword": (args) => {
        const length = typeof args.inputs.length === "number" ? args.inputs.length : 16;
        const result = hex(args.name, length);
        return { result, bcryptHash: `$2a$10$${hex(args.name + "bcrypt", 53)}`, id: "none" };
    },
    /** Random bytes as the provider returns them: hex and base64 of the same stable bytes. */
    "random:index/randomBytes:RandomBytes": (args) => {
        const length = typeof args.inputs.length === "number" ? args.inputs.length : 32;
        const h = hex(args.name, length * 2);
        return { hex: h, base64: Buffer.from(h, "hex").toString("base64"), id: "none" };
    },
    "aws:s3/bucket:Bucket": (args) => {
        const bucket = str(args.inputs.bucket, args.name);
        return { bucket, id: bucket, arn: `arn:aws:s3:::${bucket}` };
    },
    /** The bootstrap's GitHub connection: created PENDING until an admin completes the console handshake. */
    "aws:codeconnections/connection:Connection": (args, ctx) => ({
        arn: `arn:aws:codeconnections:${ctx.regionOf(args.provider)}:${ctx.accountId}:connection/${hex(args.name, 8)}-${hex(args.name + "1", 4)}-${hex(args.name + "2", 4)}-${hex(args.name + "3", 4)}-${hex(args.name + "4", 12)}`,
        connectionStatus: "PENDING",
    }),
    /** A Serverless Application Repository stack: the rotation template's one output is its function's ARN. */
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": (args, ctx) => {
        const region = ctx.regionOf(args.provider);
        const fn = str((args.inputs.parameters as Record<string, unknown> | undefined)?.functionName, args.name);
        return { id: `arn:aws:cloudformation:${region}:${ctx.accountId}:stack/serverlessrepo-${str(args.inputs.name, args.name)}/${hex(args.name, 8)}`, outputs: { RotationLambdaARN: `arn:aws:lambda:${region}:${ctx.accountId}:function:${fn}` } };
    },
    "aws:elasticache/user:User": (args, ctx) => ({ id: str(args.inputs.userId, args.name), arn: `arn:aws:elasticache:${ctx.regionOf(args.provider)}:${ctx.accountId}:user:${str(args.inputs.userId, args.name)}` }),
    "aws:elasticache/userGroup:UserGroup": (args, ctx) => ({ id: str(args.inputs.userGroupId, args.name), arn: `arn:aws:elasticache:${ctx.regionOf(args.provider)}:${ctx.accountId}:usergroup:${str(args.inputs.userGroupId, args.name)}` }),
    /** MSK: a cluster's and a configuration's ARNs (the replicator's policy derives topic and group ARNs from the cluster's). */
    "aws:msk/cluster:Cluster": (args, ctx) => {
        const name = str(args.inputs.clusterName, args.name);
        const region = ctx.regionOf(args.provider);
        const brokers = ["1", "2", "3"].map((i) => `b-${i}.${name}.${hex(name, 6)}.c2.kafka.${region}.amazonaws.com:9098`).join(",");
        return { arn: `arn:aws:kafka:${region}:${ctx.accountId}:cluster/${name}/${hex(name, 8)}-${hex(name + "1", 4)}-${hex(name + "2", 4)}-${hex(name + "3", 4)}-${hex(name + "4", 12)}-1`, bootstrapBrokersSaslIam: brokers };
    },
    "aws:msk/configuration:Configuration": (args, ctx) => ({ arn: `arn:aws:kafka:${ctx.regionOf(args.provider)}:${ctx.accountId}:configuration/${str(args.inputs.name, args.name)}/${hex(args.name, 8)}`, latestRevision: 1 }),
    /** CloudFront: a distribution's ARN, domain and the fixed hosted zone id of every CloudFront alias target. */
    "aws:cloudfront/distribution:Distribution": (args, ctx) => {
        const id = `E${hex(args.name, 13).toUpperCase()}`;
        return { id, arn: `arn:aws:cloudfront::${ctx.accountId}:distribution/${id}`, domainName: `d${hex(args.name, 13)}.cloudfront.net`, hostedZoneId: "Z2FDTNDATAQYW2" };
    },
    "aws:cloudfront/publicKey:PublicKey": (args) => ({ id: `K${hex(args.name, 13).toUpperCase()}` }),
    /** RDS Proxy: its ARN ends in the `prx-…` id IAM's rds-db:connect names; the endpoint is `<name>.proxy-<hash>.<region>.rds.amazonaws.com`. */
    "aws:rds/proxy:Proxy": (args, ctx) => {
        const region = ctx.regionOf(args.provider);
        const name = str(args.inputs.name, args.name);
        return { name, id: name, arn: `arn:aws:rds:${region}:${ctx.accountId}:db-proxy:prx-${hex(name, 17)}`, endpoint: `${name}.proxy-${hex(ctx.accountId + region, 12)}.${region}.rds.amazonaws.com` };
    },
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": (args) => ({ id: `pcx-${hex(args.name, 17)}`, acceptStatus: "pending-acceptance" }),
    "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter": (args) => ({ id: String(args.inputs.vpcPeeringConnectionId ?? `pcx-${hex(args.name, 17)}`), acceptStatus: "active" }),
};

/** AWS provider functions the program calls. */
export const awsCalls: Record<string, CallFn> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (args, ctx) => {
        const region = ctx.regionOf(args.provider);
        return {
            id: region,
            names: zoneSuffixes.map((s) => `${region}${s}`),
            zoneIds: zoneSuffixes.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
            state: "available",
        };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": (_args, ctx) => ({
        accountId: ctx.accountId,
        arn: `arn:aws:iam::${ctx.accountId}:role/platform-deployer`,
        userId: "AROAEXAMPLEDEPLOYER:pulumi",
        id: ctx.accountId,
    }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" }),
    "aws:index/getRegion:getRegion": (args, ctx) => {
        const region = ctx.regionOf(args.provider);
        return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com` };
    },
    /** The default add-on version EKS publishes for a Kubernetes version (values as of EKS 1.34). */
    "aws:eks/getAddonVersion:getAddonVersion": (args) => {
        const defaults: Record<string, string> = {
            "vpc-cni": "v1.20.4-eksbuild.1",
            "kube-proxy": "v1.34.0-eksbuild.2",
            coredns: "v1.12.3-eksbuild.1",
            "aws-ebs-csi-driver": "v1.51.0-eksbuild.1",
            "eks-pod-identity-agent": "v1.3.9-eksbuild.3",
        };
        const name = String(args.inputs.addonName);
        const version = defaults[name];
        if (!version) {
            throw new Error(`offline plan: no default version known for EKS add-on ${name}`);
        }
        return { id: name, addonName: name, kubernetesVersion: args.inputs.kubernetesVersion, version, mostRecent: args.inputs.mostRecent ?? false };
    },
    /** The stack's public hosted zone (delegated to Route 53 before the first deploy). */
    "aws:route53/getZone:getZone": (args) => {
        const name = String(args.inputs.name ?? "");
        const zoneId = `Z${hex(name, 20).toUpperCase()}`;
        return { id: zoneId, zoneId, name, privateZone: false, nameServers: [`ns-${parseInt(hex(name, 3), 16) % 2000}.awsdns-01.org`], arn: `arn:aws:route53:::hostedzone/${zoneId}` };
    },
};

/** Generic ARN for AWS resources without a specific entry. */
export function defaultAwsArn(type: string, name: string, region: string, accountId: string): string {
    const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
    return `arn:aws:${service}:${region}:${accountId}:${name}`;
}
