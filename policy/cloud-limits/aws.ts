import {
    between,
    Context,
    cidrPrefixTest,
    Constraint,
    constraint,
    custom,
    entry,
    inRanges,
    mapTest,
    namePrefix,
    nothing,
    oneOf,
    physicalName,
    stringTest,
    Test,
    text,
    TypeEntry,
} from "./model";
import { k8sLabelsAt, k8sLabelKey, k8sLabelValue } from "./k8s-rules";

/**
 * AWS limits, from each service's API reference (the pages below) and the AWS provider's schema
 * validators (terraform-provider-aws `ValidateFunc`s, surfaced in @pulumi/aws's typings).
 */

const doc = (path: string): string => `https://docs.aws.amazon.com/${path}`;
const TAGS = doc("tag-editor/latest/userguide/tagging.html#tag-conventions");

const tagKey = stringTest({ max: 128, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, chars: "letters, digits, spaces and _ . : / = + - @", forbid: [[/^aws:/i, 'not prefixed "aws:" (reserved for AWS)']] });
const tagValue = stringTest({ min: 0, max: 256, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, chars: "letters, digits, spaces and _ . : / = + - @" });
/** The provider's `defaultTags.tags` keys: merged into every resource's tags (tagsAll). */
const defaultTagKeys = (context: Context): string[] => {
    const d = context.provider?.defaultTags;
    const tags = d && typeof d === "object" ? (d as Record<string, unknown>).tags : undefined;
    return tags && typeof tags === "object" ? Object.keys(tags) : [];
};
const tagsTest: Test = mapTest({ maxEntries: 50, key: tagKey, value: tagValue, label: "tag", inherited: defaultTagKeys });
const providerTagsTest: Test = mapTest({ maxEntries: 50, key: tagKey, value: tagValue, label: "tag" });

/** AWS tags: at most 50 per resource, keys 1–128 not starting `aws:`, values ≤ 256. */
export function awsTags(path = "tags"): Constraint {
    return constraint("aws-tags", path, tagsTest, TAGS);
}

const autoName = (unless: readonly string[] = ["namePrefix"]) => ({ suffix: 7, unless });

/** Letters, digits, hyphens; a letter first; no `--`; no trailing `-` (RDS and ElastiCache identifiers). */
const identifier = (max: number, lower: boolean) => ({
    max,
    pattern: lower ? /^[a-z][a-z0-9-]*$/ : /^[A-Za-z][A-Za-z0-9-]*$/,
    chars: lower ? "lowercase letters, digits and hyphens, a letter first" : "letters, digits and hyphens, a letter first",
    forbid: [
        [/--/, "no two consecutive hyphens"],
        [/-$/, "no trailing hyphen"],
    ] as const,
});

const IAM_NAME = /^[\w+=,.@-]+$/;
const RDS_CLUSTER = doc("AmazonRDS/latest/APIReference/API_CreateDBCluster.html");
const RDS_INSTANCE = doc("AmazonRDS/latest/APIReference/API_CreateDBInstance.html");
const RDS_PARAMS = doc("AmazonRDS/latest/APIReference/API_CreateDBClusterParameterGroup.html");
const EC = doc("AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html");
const EC2_SG = doc("AWSEC2/latest/APIReference/API_CreateSecurityGroup.html");
const LB = doc("elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html");
const TG = doc("elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html");
const WAF = doc("waf/latest/APIReference/API_CreateWebACL.html");
const VPN = doc("vpn/latest/s2svpn/VPNTunnels.html");
const EKS_CLUSTER = doc("eks/latest/APIReference/API_CreateCluster.html");
const EKS_NG = doc("eks/latest/APIReference/API_CreateNodegroup.html");
const CODEBUILD = doc("codebuild/latest/APIReference/API_CreateProject.html");

const port = (path: string, source: string) => between(path, 1, 65535, source);
const sgText = { max: 255, pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/, chars: "a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*", min: 0 };
const sgRules = (prefix: string): Constraint[] => [
    text(`${prefix}[].description`, sgText, EC2_SG),
    inRanges(`${prefix}[].fromPort`, [[-1, 65535]], EC2_SG),
    inRanges(`${prefix}[].toPort`, [[-1, 65535]], EC2_SG),
];
/** Maintenance windows `ddd:hh24:mi-ddd:hh24:mi`, backup windows `hh24:mi-hh24:mi` (UTC). */
const WINDOW = /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;
const DAILY = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
const maintenance = (path: string, source: string) => text(path, { max: 19, pattern: WINDOW, chars: "ddd:hh24:mi-ddd:hh24:mi" }, source);
const daily = (path: string, source: string) => text(path, { max: 11, pattern: DAILY, chars: "hh24:mi-hh24:mi" }, source);
/** Passwords the database engines accept: printable ASCII except `/`, `"`, `@` and space. */
const dbPassword = (path: string, min: number, max: number, source: string) =>
    text(path, { min, max, pattern: /^[!#-?A-~]+$/, chars: 'printable ASCII except / " @ and space', forbid: [[/\//, "no /"]] }, source, { secret: true });
const logGroupName = { max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, chars: "letters, digits and . - _ / #" };
const paramGroupName = identifier(255, true);
const lbName = { max: 32, pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, chars: "letters, digits and hyphens, not starting or ending with a hyphen", forbid: [[/^internal-/, 'not starting "internal-"']] as const };
const wafName = { max: 128, pattern: /^[\w-]+$/, chars: "letters, digits, _ and -" };
const wafMetric = { max: 128, pattern: /^[\w#:.\-/]+$/, chars: "letters, digits and _ # : . - / (no spaces)", forbid: [[/^(All|Default_Action)$/, 'not "All" or "Default_Action"']] as const };
const dnsName = { max: 255, pattern: /^(\*\.)?([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.?$/, chars: "DNS labels of at most 63 characters" };
const asnRanges = [
    [64512, 65534],
    [4200000000, 4294967294],
    [7224, 7224],
    [9059, 9059],
    [10124, 10124],
    [17493, 17493],
] as const;

const INSIDE_30 = /^169\.254\.(\d{1,3})\.(\d{1,3})\/30$/;
const DIGITS = /^\d+$/;
const WAF_LOG_DESTINATION = /(:log-group:|:firehose:deliverystream\/|:::)aws-waf-logs-/;
/** The /30 inside a tunnel must be in 169.254.0.0/16 and none of the ranges AWS reserves. */
const reservedInside = new Set(["169.254.0.0", "169.254.1.0", "169.254.2.0", "169.254.3.0", "169.254.4.0", "169.254.5.0", "169.254.169.252"]);
const insideCidr: Test = (v) => {
    if (typeof v !== "string") {
        return undefined;
    }
    const m = INSIDE_30.exec(v);
    if (!m || Number(m[1]) > 255 || Number(m[2]) > 252 || Number(m[2]) % 4 !== 0) {
        return "a /30 inside 169.254.0.0/16";
    }
    return reservedInside.has(v.slice(0, -3)) ? "not one of the reserved 169.254.0.0/30 … 169.254.5.0/30 and 169.254.169.252/30" : undefined;
};
const tunnel = (n: 1 | 2): Constraint[] => [
    text(`tunnel${n}PresharedKey`, { min: 8, max: 64, pattern: /^[A-Za-z1-9._][A-Za-z0-9._]*$/, chars: "letters, digits, . and _, not starting with 0" }, VPN, { secret: true }),
    custom("value", `tunnel${n}InsideCidr`, insideCidr, VPN),
    between(`tunnel${n}Phase1LifetimeSeconds`, 900, 28800, VPN),
    between(`tunnel${n}Phase2LifetimeSeconds`, 900, 3600, VPN),
    inRanges(`tunnel${n}DpdTimeoutSeconds`, [[30, Number.MAX_SAFE_INTEGER]], VPN),
    oneOf(`tunnel${n}DpdTimeoutAction`, ["clear", "none", "restart"], VPN),
    oneOf(`tunnel${n}StartupAction`, ["add", "start"], VPN),
    between(`tunnel${n}ReplayWindowSize`, 64, 2048, VPN),
    oneOf(`tunnel${n}IkeVersions[]`, ["ikev1", "ikev2"], VPN),
    oneOf(`tunnel${n}Phase1EncryptionAlgorithms[]`, ["AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"], VPN),
    oneOf(`tunnel${n}Phase2EncryptionAlgorithms[]`, ["AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16"], VPN),
    oneOf(`tunnel${n}Phase1IntegrityAlgorithms[]`, ["SHA1", "SHA2-256", "SHA2-384", "SHA2-512"], VPN),
    oneOf(`tunnel${n}Phase2IntegrityAlgorithms[]`, ["SHA1", "SHA2-256", "SHA2-384", "SHA2-512"], VPN),
    oneOf(`tunnel${n}Phase1DhGroupNumbers[]`, [2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24], VPN),
    oneOf(`tunnel${n}Phase2DhGroupNumbers[]`, [2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24], VPN),
];
const association = (what: string) => nothing(`an association (${what}): no name, tags or value of its own`);

export const awsLimits: Readonly<Record<string, TypeEntry>> = {
    "aws:acm/certificate:Certificate": entry(
        text("domainName", dnsName, doc("acm/latest/APIReference/API_RequestCertificate.html")),
        text("subjectAlternativeNames[]", dnsName, doc("acm/latest/APIReference/API_RequestCertificate.html")),
        oneOf("validationMethod", ["DNS", "EMAIL", "HTTP"], doc("acm/latest/APIReference/API_RequestCertificate.html")),
        oneOf("keyAlgorithm", ["RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"], doc("acm/latest/APIReference/API_RequestCertificate.html")),
        awsTags(),
    ),
    "aws:acm/certificateValidation:CertificateValidation": nothing("waits for validation of a certificate: inputs are the certificate's ARN and record FQDNs"),
    "aws:cloudwatch/logGroup:LogGroup": entry(
        physicalName("name", logGroupName, doc("AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html"), autoName()),
        oneOf("retentionInDays", [0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], doc("AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html")),
        oneOf("logGroupClass", ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"], doc("AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html")),
        awsTags(),
    ),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": entry(...sgRules("ingress"), ...sgRules("egress"), awsTags()),
    "aws:ec2/eip:Eip": entry(oneOf("domain", ["vpc", "standard"], doc("AWSEC2/latest/APIReference/API_AllocateAddress.html")), awsTags()),
    "aws:ec2/flowLog:FlowLog": entry(
        oneOf("maxAggregationInterval", [60, 600], doc("AWSEC2/latest/APIReference/API_CreateFlowLogs.html")),
        oneOf("trafficType", ["ACCEPT", "REJECT", "ALL"], doc("AWSEC2/latest/APIReference/API_CreateFlowLogs.html")),
        oneOf("logDestinationType", ["cloud-watch-logs", "s3", "kinesis-data-firehose"], doc("AWSEC2/latest/APIReference/API_CreateFlowLogs.html")),
        awsTags(),
    ),
    "aws:ec2/internetGateway:InternetGateway": entry(awsTags()),
    "aws:ec2/launchTemplate:LaunchTemplate": entry(
        physicalName("name", { min: 3, max: 128, pattern: /^[A-Za-z0-9().\-/_]+$/, chars: "letters, digits and ( ) . - / _" }, doc("AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html"), autoName()),
        namePrefix("namePrefix", 128, doc("AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html")),
        text("description", { min: 0, max: 255 }, doc("AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html")),
        awsTags("tagSpecifications[].tags"),
        oneOf("tagSpecifications[].resourceType", ["instance", "volume", "network-interface", "spot-instances-request"], doc("AWSEC2/latest/APIReference/API_LaunchTemplateTagSpecificationRequest.html")),
        between("metadataOptions.httpPutResponseHopLimit", 1, 64, doc("AWSEC2/latest/APIReference/API_LaunchTemplateInstanceMetadataOptionsRequest.html")),
        oneOf("metadataOptions.httpTokens", ["optional", "required"], doc("AWSEC2/latest/APIReference/API_LaunchTemplateInstanceMetadataOptionsRequest.html")),
        oneOf("blockDeviceMappings[].ebs.volumeType", ["standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"], doc("AWSEC2/latest/APIReference/API_LaunchTemplateEbsBlockDeviceRequest.html")),
        between("blockDeviceMappings[].ebs.volumeSize", 1, 65536, doc("AWSEC2/latest/APIReference/API_LaunchTemplateEbsBlockDeviceRequest.html")),
    ),
    "aws:ec2/natGateway:NatGateway": entry(oneOf("connectivityType", ["public", "private"], doc("AWSEC2/latest/APIReference/API_CreateNatGateway.html")), awsTags()),
    "aws:ec2/routeTable:RouteTable": entry(awsTags()),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": association("route table ↔ subnet"),
    "aws:ec2/securityGroup:SecurityGroup": entry(
        physicalName("name", { ...sgText, min: 1, forbid: [[/^sg-/, 'not starting "sg-"']] }, EC2_SG, autoName()),
        namePrefix("namePrefix", 255, EC2_SG),
        text("description", sgText, EC2_SG),
        ...sgRules("ingress"),
        ...sgRules("egress"),
        awsTags(),
    ),
    "aws:ec2/securityGroupRule:SecurityGroupRule": entry(
        oneOf("type", ["ingress", "egress"], EC2_SG),
        text("description", sgText, EC2_SG),
        inRanges("fromPort", [[-1, 65535]], EC2_SG),
        inRanges("toPort", [[-1, 65535]], EC2_SG),
    ),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": entry(text("description", sgText, EC2_SG), inRanges("fromPort", [[-1, 65535]], EC2_SG), inRanges("toPort", [[-1, 65535]], EC2_SG), awsTags()),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": entry(text("description", sgText, EC2_SG), inRanges("fromPort", [[-1, 65535]], EC2_SG), inRanges("toPort", [[-1, 65535]], EC2_SG), awsTags()),
    "aws:ec2/subnet:Subnet": entry(custom("range", "cidrBlock", cidrPrefixTest(16, 28), doc("vpc/latest/userguide/subnet-sizing.html")), awsTags()),
    "aws:ec2/vpc:Vpc": entry(custom("range", "cidrBlock", cidrPrefixTest(16, 28), doc("vpc/latest/userguide/vpc-cidr-blocks.html")), awsTags()),
    "aws:ec2/vpcEndpoint:VpcEndpoint": entry(
        oneOf("vpcEndpointType", ["Interface", "Gateway", "GatewayLoadBalancer", "Resource", "ServiceNetwork"], doc("AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html")),
        awsTags(),
    ),
    "aws:ec2/vpnGateway:VpnGateway": entry(inRanges("amazonSideAsn", asnRanges, doc("AWSEC2/latest/APIReference/API_CreateVpnGateway.html")), awsTags()),
    "aws:ec2/customerGateway:CustomerGateway": entry(
        inRanges("bgpAsn", [[1, 2147483647]], doc("AWSEC2/latest/APIReference/API_CreateCustomerGateway.html")),
        inRanges("bgpAsnExtended", [[2147483648, 4294967295]], doc("AWSEC2/latest/APIReference/API_CreateCustomerGateway.html")),
        oneOf("type", ["ipsec.1"], doc("AWSEC2/latest/APIReference/API_CreateCustomerGateway.html")),
        text("deviceName", { min: 0, max: 255 }, doc("AWSEC2/latest/APIReference/API_CreateCustomerGateway.html")),
        awsTags(),
    ),
    "aws:ec2/vpnConnection:VpnConnection": entry(
        oneOf("type", ["ipsec.1"], doc("AWSEC2/latest/APIReference/API_CreateVpnConnection.html")),
        oneOf("tunnelInsideIpVersion", ["ipv4", "ipv6"], VPN),
        ...tunnel(1),
        ...tunnel(2),
        awsTags(),
    ),
    "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": association("VPN gateway ↔ route table"),
    "aws:ec2/vpnGatewayAttachment:VpnGatewayAttachment": association("VPN gateway ↔ VPC"),
    "aws:eks/accessEntry:AccessEntry": entry(
        oneOf("type", ["STANDARD", "FARGATE_LINUX", "EC2_LINUX", "EC2_WINDOWS", "EC2", "HYBRID_LINUX", "HYPERPOD_LINUX"], doc("eks/latest/APIReference/API_CreateAccessEntry.html")),
        text("kubernetesGroups[]", { max: 63 }, doc("eks/latest/APIReference/API_CreateAccessEntry.html")),
        awsTags(),
    ),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": entry(oneOf("accessScope.type", ["namespace", "cluster"], doc("eks/latest/APIReference/API_AccessScope.html"))),
    "aws:eks/addon:Addon": entry(
        oneOf("resolveConflictsOnCreate", ["NONE", "OVERWRITE"], doc("eks/latest/APIReference/API_CreateAddon.html")),
        oneOf("resolveConflictsOnUpdate", ["NONE", "OVERWRITE", "PRESERVE"], doc("eks/latest/APIReference/API_UpdateAddon.html")),
        awsTags(),
    ),
    "aws:eks/cluster:Cluster": entry(
        physicalName("name", { max: 100, pattern: /^[0-9A-Za-z][A-Za-z0-9\-_]*$/, chars: "letters, digits, - and _, alphanumeric first" }, EKS_CLUSTER, autoName([])),
        oneOf("enabledClusterLogTypes[]", ["api", "audit", "authenticator", "controllerManager", "scheduler"], EKS_CLUSTER),
        oneOf("accessConfig.authenticationMode", ["API", "API_AND_CONFIG_MAP", "CONFIG_MAP"], EKS_CLUSTER),
        oneOf("upgradePolicy.supportType", ["STANDARD", "EXTENDED"], EKS_CLUSTER),
        oneOf("kubernetesNetworkConfig.ipFamily", ["ipv4", "ipv6"], EKS_CLUSTER),
        awsTags(),
    ),
    "aws:eks/nodeGroup:NodeGroup": entry(
        physicalName("nodeGroupName", { max: 63, pattern: /^[0-9A-Za-z][A-Za-z0-9\-_]*$/, chars: "letters, digits, - and _, alphanumeric first" }, EKS_NG, autoName(["nodeGroupNamePrefix"])),
        namePrefix("nodeGroupNamePrefix", 63, EKS_NG),
        oneOf("capacityType", ["ON_DEMAND", "SPOT", "CAPACITY_BLOCK"], EKS_NG),
        oneOf(
            "amiType",
            ["AL2_x86_64", "AL2_x86_64_GPU", "AL2_ARM_64", "CUSTOM", "BOTTLEROCKET_ARM_64", "BOTTLEROCKET_x86_64", "BOTTLEROCKET_ARM_64_FIPS", "BOTTLEROCKET_x86_64_FIPS", "BOTTLEROCKET_ARM_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA", "WINDOWS_CORE_2019_x86_64", "WINDOWS_FULL_2019_x86_64", "WINDOWS_CORE_2022_x86_64", "WINDOWS_FULL_2022_x86_64", "AL2023_x86_64_STANDARD", "AL2023_ARM_64_STANDARD", "AL2023_x86_64_NEURON", "AL2023_x86_64_NVIDIA", "AL2023_ARM_64_NVIDIA"],
            EKS_NG,
        ),
        inRanges("scalingConfig.minSize", [[0, Number.MAX_SAFE_INTEGER]], EKS_NG),
        inRanges("scalingConfig.maxSize", [[1, Number.MAX_SAFE_INTEGER]], EKS_NG),
        between("updateConfig.maxUnavailablePercentage", 1, 100, EKS_NG),
        between("updateConfig.maxUnavailable", 1, 100, EKS_NG),
        k8sLabelsAt("labels", EKS_NG),
        custom("k8s-labels", "taints[].key", k8sLabelKey, EKS_NG),
        custom("k8s-labels", "taints[].value", k8sLabelValue, EKS_NG),
        oneOf("taints[].effect", ["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"], EKS_NG),
        awsTags(),
    ),
    "aws:elasticache/parameterGroup:ParameterGroup": entry(
        physicalName("name", paramGroupName, doc("AmazonElastiCache/latest/APIReference/API_CreateCacheParameterGroup.html"), autoName([])),
        text("description", { min: 0, max: 255 }, doc("AmazonElastiCache/latest/APIReference/API_CreateCacheParameterGroup.html")),
        awsTags(),
    ),
    "aws:elasticache/replicationGroup:ReplicationGroup": entry(
        physicalName("replicationGroupId", identifier(40, true), EC, autoName([])),
        text("description", { max: 255 }, EC),
        oneOf("engine", ["redis", "valkey"], EC),
        oneOf("clusterMode", ["enabled", "disabled", "compatible"], EC),
        oneOf("transitEncryptionMode", ["preferred", "required"], EC),
        oneOf("authTokenUpdateStrategy", ["SET", "ROTATE", "DELETE"], doc("AmazonElastiCache/latest/APIReference/API_ModifyReplicationGroup.html")),
        text("authToken", { min: 16, max: 128, pattern: /^[A-Za-z0-9!&#$^<>-]+$/, chars: "letters, digits and the specials ! & # $ ^ < > -" }, doc("AmazonElastiCache/latest/dg/auth.html"), { secret: true }),
        between("numNodeGroups", 1, 500, EC),
        between("replicasPerNodeGroup", 0, 5, EC),
        between("port", 1, 65535, EC),
        between("snapshotRetentionLimit", 0, 35, EC),
        maintenance("maintenanceWindow", EC),
        daily("snapshotWindow", EC),
        physicalName("finalSnapshotIdentifier", identifier(255, false), doc("AmazonElastiCache/latest/APIReference/API_DeleteReplicationGroup.html")),
        oneOf("logDeliveryConfigurations[].destinationType", ["cloudwatch-logs", "kinesis-firehose"], doc("AmazonElastiCache/latest/APIReference/API_LogDeliveryConfigurationRequest.html")),
        oneOf("logDeliveryConfigurations[].logFormat", ["text", "json"], doc("AmazonElastiCache/latest/APIReference/API_LogDeliveryConfigurationRequest.html")),
        oneOf("logDeliveryConfigurations[].logType", ["slow-log", "engine-log"], doc("AmazonElastiCache/latest/APIReference/API_LogDeliveryConfigurationRequest.html")),
        awsTags(),
    ),
    "aws:elasticache/subnetGroup:SubnetGroup": entry(
        physicalName("name", { max: 255, pattern: /^[0-9a-z-]+$/, chars: "lowercase letters, digits and hyphens" }, doc("AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html"), autoName([])),
        text("description", { max: 255 }, doc("AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html")),
        awsTags(),
    ),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": entry(
        text("url", { max: 255, pattern: /^https:\/\//, chars: "an https:// URL" }, doc("IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html")),
        text("clientIdLists[]", { max: 255 }, doc("IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html")),
        awsTags(),
    ),
    "aws:iam/role:Role": entry(
        physicalName("name", { max: 64, pattern: IAM_NAME, chars: "letters, digits and + = , . @ _ -" }, doc("IAM/latest/APIReference/API_CreateRole.html"), autoName()),
        namePrefix("namePrefix", 64, doc("IAM/latest/APIReference/API_CreateRole.html")),
        text("description", { min: 0, max: 1000, pattern: /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/, chars: "printable Latin-1" }, doc("IAM/latest/APIReference/API_CreateRole.html")),
        between("maxSessionDuration", 3600, 43200, doc("IAM/latest/APIReference/API_CreateRole.html")),
        text("path", { max: 512, pattern: /^\/([\u0021-\u007E]*\/)?$/, chars: "/ or /…/" }, doc("IAM/latest/APIReference/API_CreateRole.html")),
        // The account's default quota (AWS can raise it to 4096 on request).
        text("assumeRolePolicy", { max: 2048 }, doc("IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length")),
        awsTags(),
    ),
    "aws:iam/rolePolicy:RolePolicy": entry(
        physicalName("name", { max: 128, pattern: IAM_NAME, chars: "letters, digits and + = , . @ _ -" }, doc("IAM/latest/APIReference/API_PutRolePolicy.html"), autoName()),
        text("policy", { max: 10240 }, doc("IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length")),
    ),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": association("managed policy ↔ role"),
    "aws:kms/alias:Alias": entry(
        physicalName("name", { max: 256, pattern: /^alias\/[A-Za-z0-9/_-]+$/, chars: '"alias/" then letters, digits and / _ -', forbid: [[/^alias\/aws\//, 'not "alias/aws/" (reserved for AWS)']] }, doc("kms/latest/APIReference/API_CreateAlias.html")),
    ),
    "aws:kms/key:Key": entry(
        text("description", { min: 0, max: 8192 }, doc("kms/latest/APIReference/API_CreateKey.html")),
        between("deletionWindowInDays", 7, 30, doc("kms/latest/APIReference/API_ScheduleKeyDeletion.html")),
        between("rotationPeriodInDays", 90, 2560, doc("kms/latest/APIReference/API_EnableKeyRotation.html")),
        oneOf("keyUsage", ["ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"], doc("kms/latest/APIReference/API_CreateKey.html")),
        oneOf(
            "customerMasterKeySpec",
            ["SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87"],
            doc("kms/latest/APIReference/API_CreateKey.html"),
        ),
        text("policy", { max: 32768 }, doc("kms/latest/APIReference/API_CreateKey.html")),
        awsTags(),
    ),
    "aws:lb/listener:Listener": entry(
        port("port", doc("elasticloadbalancing/latest/APIReference/API_CreateListener.html")),
        oneOf("protocol", ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"], doc("elasticloadbalancing/latest/APIReference/API_CreateListener.html")),
        text("sslPolicy", { max: 128, pattern: /^ELBSecurityPolicy-[A-Za-z0-9-]+$/, chars: "an ELBSecurityPolicy-… name" }, doc("elasticloadbalancing/latest/application/describe-ssl-policies.html")),
        oneOf("defaultActions[].type", ["forward", "redirect", "fixed-response", "authenticate-cognito", "authenticate-oidc", "jwt-validation"], doc("elasticloadbalancing/latest/APIReference/API_Action.html")),
        oneOf("defaultActions[].redirect.statusCode", ["HTTP_301", "HTTP_302"], doc("elasticloadbalancing/latest/APIReference/API_RedirectActionConfig.html")),
        awsTags(),
    ),
    "aws:lb/loadBalancer:LoadBalancer": entry(
        physicalName("name", lbName, LB, autoName()),
        namePrefix("namePrefix", 32, LB, 26),
        oneOf("loadBalancerType", ["application", "network", "gateway"], LB),
        oneOf("desyncMitigationMode", ["monitor", "defensive", "strictest"], doc("elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html")),
        between("idleTimeout", 1, 4000, doc("elasticloadbalancing/latest/APIReference/API_LoadBalancerAttribute.html")),
        awsTags(),
    ),
    "aws:lb/targetGroup:TargetGroup": entry(
        physicalName("name", lbName, TG, autoName()),
        namePrefix("namePrefix", 32, TG, 26),
        port("port", TG),
        oneOf("protocol", ["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"], TG),
        oneOf("targetType", ["instance", "ip", "lambda", "alb"], TG),
        between("deregistrationDelay", 0, 3600, doc("elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html")),
        between("healthCheck.interval", 5, 300, TG),
        between("healthCheck.timeout", 2, 120, TG),
        between("healthCheck.healthyThreshold", 2, 10, TG),
        between("healthCheck.unhealthyThreshold", 2, 10, TG),
        text("healthCheck.path", { max: 1024, pattern: /^\//, chars: "starting with /" }, TG),
        custom("range", "healthCheck.port", (v) => (v === "traffic-port" ? undefined : rangeOfPort(v)), TG),
        awsTags(),
    ),
    "aws:rds/cluster:Cluster": entry(
        physicalName("clusterIdentifier", identifier(63, true), RDS_CLUSTER, autoName(["clusterIdentifierPrefix"])),
        namePrefix("clusterIdentifierPrefix", 63, RDS_CLUSTER),
        physicalName("finalSnapshotIdentifier", identifier(255, false), RDS_CLUSTER),
        text("databaseName", { max: 63, pattern: /^[A-Za-z][A-Za-z0-9_]*$/, chars: "letters, digits and _, a letter first" }, RDS_CLUSTER),
        text("masterUsername", { max: 63, pattern: /^[A-Za-z][A-Za-z0-9_]*$/, chars: "letters, digits and _, a letter first" }, RDS_CLUSTER),
        dbPassword("masterPassword", 8, 41, RDS_CLUSTER),
        oneOf("engine", ["aurora-mysql", "aurora-postgresql", "mysql", "postgres"], RDS_CLUSTER),
        oneOf("engineMode", ["provisioned", "serverless", "parallelquery", "global", "multimaster"], RDS_CLUSTER),
        between("backupRetentionPeriod", 1, 35, RDS_CLUSTER),
        between("port", 1150, 65535, RDS_CLUSTER),
        daily("preferredBackupWindow", RDS_CLUSTER),
        maintenance("preferredMaintenanceWindow", RDS_CLUSTER),
        oneOf("enabledCloudwatchLogsExports[]", ["audit", "error", "general", "slowquery", "postgresql", "iam-db-auth-error", "instance"], RDS_CLUSTER),
        awsTags(),
    ),
    "aws:rds/clusterInstance:ClusterInstance": entry(
        physicalName("identifier", identifier(63, true), RDS_INSTANCE, autoName(["identifierPrefix"])),
        namePrefix("identifierPrefix", 63, RDS_INSTANCE),
        text("instanceClass", { max: 64, pattern: /^db\.[a-z0-9-]+\.[a-z0-9]+$/, chars: "db.<family>.<size>" }, RDS_INSTANCE),
        oneOf("monitoringInterval", [0, 1, 5, 10, 15, 30, 60], RDS_INSTANCE),
        custom("range", "performanceInsightsRetentionPeriod", (v) => (typeof v !== "number" || v === 7 || v === 731 || (v % 31 === 0 && v >= 31 && v <= 713) ? undefined : "7, 731, or a multiple of 31 up to 713"), RDS_INSTANCE),
        between("promotionTier", 0, 15, RDS_INSTANCE),
        oneOf("caCertIdentifier", ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1", "rds-ca-2019"], doc("AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html")),
        maintenance("preferredMaintenanceWindow", RDS_INSTANCE),
        awsTags(),
    ),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": entry(physicalName("name", paramGroupName, RDS_PARAMS, autoName()), namePrefix("namePrefix", 255, RDS_PARAMS), awsTags()),
    "aws:rds/parameterGroup:ParameterGroup": entry(physicalName("name", paramGroupName, doc("AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html"), autoName()), namePrefix("namePrefix", 255, RDS_PARAMS), awsTags()),
    "aws:rds/globalCluster:GlobalCluster": entry(
        physicalName("globalClusterIdentifier", identifier(255, false), doc("AmazonRDS/latest/APIReference/API_CreateGlobalCluster.html")),
        text("databaseName", { max: 63, pattern: /^[A-Za-z][A-Za-z0-9_]*$/, chars: "letters, digits and _, a letter first" }, doc("AmazonRDS/latest/APIReference/API_CreateGlobalCluster.html")),
        oneOf("engine", ["aurora-mysql", "aurora-postgresql", "aurora", "neptune"], doc("AmazonRDS/latest/APIReference/API_CreateGlobalCluster.html")),
    ),
    "aws:rds/subnetGroup:SubnetGroup": entry(
        physicalName("name", { max: 255, pattern: /^[ ._\-0-9a-z]+$/, chars: "lowercase letters, digits, spaces and . _ -", forbid: [[/^default$/, 'not "default"']] }, doc("AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html"), autoName()),
        namePrefix("namePrefix", 255, doc("AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html")),
        text("description", { max: 255 }, doc("AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html")),
        awsTags(),
    ),
    "aws:route53/zone:Zone": entry(
        text("name", { ...dnsName, max: 255 }, doc("Route53/latest/APIReference/API_CreateHostedZone.html")),
        text("comment", { min: 0, max: 256 }, doc("Route53/latest/APIReference/API_HostedZoneConfig.html")),
        awsTags(),
    ),
    "aws:route53/record:Record": entry(
        text("name", dnsName, doc("Route53/latest/APIReference/API_ResourceRecordSet.html")),
        oneOf("type", ["A", "AAAA", "CAA", "CNAME", "DS", "HTTPS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV", "SSHFP", "SVCB", "TLSA", "TXT"], doc("Route53/latest/APIReference/API_ResourceRecordSet.html")),
        between("ttl", 0, 2147483647, doc("Route53/latest/APIReference/API_ResourceRecordSet.html")),
        text("setIdentifier", { max: 128 }, doc("Route53/latest/APIReference/API_ResourceRecordSet.html")),
        text("records[]", { max: 4000 }, doc("Route53/latest/APIReference/API_ResourceRecord.html")),
    ),
    "aws:s3/bucket:Bucket": entry(
        physicalName(
            "bucket",
            {
                min: 3,
                max: 63,
                pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
                chars: "lowercase letters, digits, . and -, alphanumeric first and last",
                forbid: [
                    [/\.\./, "no two adjacent periods"],
                    [/^\d+\.\d+\.\d+\.\d+$/, "not an IP address"],
                    [/^(xn--|sthree-|amzn-s3-demo-)/, 'not starting "xn--", "sthree-" or "amzn-s3-demo-"'],
                    [/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/, 'not ending "-s3alias", "--ol-s3", ".mrap", "--x-s3" or "--table-s3"'],
                ],
            },
            doc("AmazonS3/latest/userguide/bucketnamingrules.html"),
            autoName(["bucketPrefix"]),
        ),
        namePrefix("bucketPrefix", 63, doc("AmazonS3/latest/userguide/bucketnamingrules.html")),
        awsTags(),
    ),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": entry(
        text("rules[].id", { max: 255 }, doc("AmazonS3/latest/API/API_LifecycleRule.html")),
        oneOf("rules[].status", ["Enabled", "Disabled"], doc("AmazonS3/latest/API/API_LifecycleRule.html")),
        inRanges("rules[].expiration.days", [[1, Number.MAX_SAFE_INTEGER]], doc("AmazonS3/latest/API/API_LifecycleExpiration.html")),
        oneOf("rules[].transitions[].storageClass", ["GLACIER", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "DEEP_ARCHIVE", "GLACIER_IR"], doc("AmazonS3/latest/API/API_Transition.html")),
        custom("range", "rules", (v) => (Array.isArray(v) && v.length > 1000 ? "at most 1000 rules" : undefined), doc("AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html")),
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": entry(oneOf("rule.objectOwnership", ["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"], doc("AmazonS3/latest/API/API_OwnershipControlsRule.html"))),
    "aws:s3/bucketPolicy:BucketPolicy": entry(text("policy", { max: 20480 }, doc("AmazonS3/latest/userguide/access-policy-language-overview.html"))),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": nothing("four booleans on a bucket named by the bucket resource"),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": entry(
        oneOf("rules[].applyServerSideEncryptionByDefault.sseAlgorithm", ["AES256", "aws:kms", "aws:kms:dsse"], doc("AmazonS3/latest/API/API_ServerSideEncryptionByDefault.html")),
    ),
    "aws:s3/bucketVersioning:BucketVersioning": entry(
        oneOf("versioningConfiguration.status", ["Enabled", "Suspended", "Disabled"], doc("AmazonS3/latest/API/API_VersioningConfiguration.html")),
        oneOf("versioningConfiguration.mfaDelete", ["Enabled", "Disabled"], doc("AmazonS3/latest/API/API_VersioningConfiguration.html")),
    ),
    "aws:secretsmanager/secret:Secret": entry(
        physicalName("name", { max: 512, pattern: /^[A-Za-z0-9/_+=.@-]+$/, chars: "letters, digits and / _ + = . @ -" }, doc("secretsmanager/latest/apireference/API_CreateSecret.html"), autoName()),
        namePrefix("namePrefix", 512, doc("secretsmanager/latest/apireference/API_CreateSecret.html")),
        text("description", { min: 0, max: 2048 }, doc("secretsmanager/latest/apireference/API_CreateSecret.html")),
        inRanges("recoveryWindowInDays", [[0, 0], [7, 30]], doc("secretsmanager/latest/apireference/API_DeleteSecret.html")),
        awsTags(),
    ),
    "aws:secretsmanager/secretVersion:SecretVersion": entry(text("secretString", { max: 65536 }, doc("secretsmanager/latest/apireference/API_PutSecretValue.html"), { secret: true })),
    "aws:wafv2/ipSet:IpSet": entry(
        physicalName("name", wafName, doc("waf/latest/APIReference/API_CreateIPSet.html"), autoName()),
        text("description", { max: 256, pattern: /^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]*$/, chars: "letters, digits, spaces and + = : # @ / - , ." }, doc("waf/latest/APIReference/API_CreateIPSet.html")),
        oneOf("ipAddressVersion", ["IPV4", "IPV6"], doc("waf/latest/APIReference/API_CreateIPSet.html")),
        oneOf("scope", ["CLOUDFRONT", "REGIONAL"], doc("waf/latest/APIReference/API_CreateIPSet.html")),
        custom("range", "addresses", (v) => (Array.isArray(v) && v.length > 10000 ? "at most 10000 addresses" : undefined), doc("waf/latest/developerguide/limits.html")),
        awsTags(),
    ),
    "aws:wafv2/webAcl:WebAcl": entry(
        physicalName("name", wafName, WAF, autoName()),
        text("description", { max: 256, pattern: /^[\w+=:#@/\-,.][\w+=:#@/\-,.\s]*$/, chars: "letters, digits, spaces and + = : # @ / - , ." }, WAF),
        oneOf("scope", ["CLOUDFRONT", "REGIONAL"], WAF),
        text("rules[].name", wafName, doc("waf/latest/APIReference/API_Rule.html")),
        inRanges("rules[].priority", [[0, Number.MAX_SAFE_INTEGER]], doc("waf/latest/APIReference/API_Rule.html")),
        text("visibilityConfig.metricName", wafMetric, doc("waf/latest/APIReference/API_VisibilityConfig.html")),
        text("rules[].visibilityConfig.metricName", wafMetric, doc("waf/latest/APIReference/API_VisibilityConfig.html")),
        awsTags(),
    ),
    "aws:wafv2/webAclAssociation:WebAclAssociation": association("web ACL ↔ load balancer"),
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": entry(
        custom(
            "value",
            "logDestinationConfigs[]",
            (v) => (typeof v === "string" && !WAF_LOG_DESTINATION.test(v) ? 'a destination named "aws-waf-logs-…"' : undefined),
            doc("waf/latest/developerguide/logging-destinations.html"),
        ),
        custom("range", "logDestinationConfigs", (v) => (Array.isArray(v) && v.length !== 1 ? "exactly one destination" : undefined), doc("waf/latest/APIReference/API_LoggingConfiguration.html")),
    ),
    "aws:codebuild/project:Project": entry(
        physicalName("name", { min: 2, max: 150, pattern: /^[A-Za-z0-9][A-Za-z0-9\-_]*$/, chars: "letters, digits, - and _, alphanumeric first" }, CODEBUILD, autoName([])),
        text("description", { min: 0, max: 255 }, CODEBUILD),
        between("buildTimeout", 5, 2160, CODEBUILD),
        between("queuedTimeout", 5, 480, CODEBUILD),
        inRanges("concurrentBuildLimit", [[1, Number.MAX_SAFE_INTEGER]], CODEBUILD),
        oneOf(
            "environment.type",
            ["LINUX_CONTAINER", "LINUX_GPU_CONTAINER", "ARM_CONTAINER", "WINDOWS_CONTAINER", "WINDOWS_SERVER_2019_CONTAINER", "WINDOWS_SERVER_2022_CONTAINER", "LINUX_LAMBDA_CONTAINER", "ARM_LAMBDA_CONTAINER", "LINUX_EC2", "ARM_EC2", "WINDOWS_EC2", "MAC_ARM"],
            doc("codebuild/latest/APIReference/API_ProjectEnvironment.html"),
        ),
        oneOf(
            "environment.computeType",
            ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE", "BUILD_GENERAL1_XLARGE", "BUILD_GENERAL1_2XLARGE", "BUILD_LAMBDA_1GB", "BUILD_LAMBDA_2GB", "BUILD_LAMBDA_4GB", "BUILD_LAMBDA_8GB", "BUILD_LAMBDA_10GB", "ATTRIBUTE_BASED_COMPUTE", "CUSTOM_INSTANCE_TYPE"],
            doc("codebuild/latest/APIReference/API_ProjectEnvironment.html"),
        ),
        oneOf("environment.imagePullCredentialsType", ["CODEBUILD", "SERVICE_ROLE"], doc("codebuild/latest/APIReference/API_ProjectEnvironment.html")),
        oneOf("environment.environmentVariables[].type", ["PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER"], doc("codebuild/latest/APIReference/API_EnvironmentVariable.html")),
        oneOf("source.type", ["CODECOMMIT", "CODEPIPELINE", "GITHUB", "GITHUB_ENTERPRISE", "GITLAB", "GITLAB_SELF_MANAGED", "BITBUCKET", "S3", "NO_SOURCE"], doc("codebuild/latest/APIReference/API_ProjectSource.html")),
        oneOf("artifacts.type", ["CODEPIPELINE", "NO_ARTIFACTS", "S3"], doc("codebuild/latest/APIReference/API_ProjectArtifacts.html")),
        awsTags(),
    ),
    "aws:codebuild/webhook:Webhook": entry(
        text("projectName", { min: 2, max: 150, pattern: /^[A-Za-z0-9][A-Za-z0-9\-_]*$/, chars: "letters, digits, - and _, alphanumeric first" }, doc("codebuild/latest/APIReference/API_CreateWebhook.html")),
        oneOf("buildType", ["BUILD", "BUILD_BATCH", "RUNNER_BUILDKITE_BUILD"], doc("codebuild/latest/APIReference/API_CreateWebhook.html")),
        oneOf(
            "filterGroups[].filters[].type",
            ["EVENT", "BASE_REF", "HEAD_REF", "ACTOR_ACCOUNT_ID", "FILE_PATH", "COMMIT_MESSAGE", "WORKFLOW_NAME", "TAG_NAME", "RELEASE_NAME", "REPOSITORY_NAME", "ORGANIZATION_NAME"],
            doc("codebuild/latest/APIReference/API_WebhookFilter.html"),
        ),
    ),
    "aws:codebuild/sourceCredential:SourceCredential": entry(
        oneOf("authType", ["OAUTH", "BASIC_AUTH", "PERSONAL_ACCESS_TOKEN", "CODECONNECTIONS", "SECRETS_MANAGER"], doc("codebuild/latest/APIReference/API_ImportSourceCredentials.html")),
        oneOf("serverType", ["GITHUB", "BITBUCKET", "GITHUB_ENTERPRISE", "GITLAB", "GITLAB_SELF_MANAGED"], doc("codebuild/latest/APIReference/API_ImportSourceCredentials.html")),
        text("token", { min: 1, max: Number.MAX_SAFE_INTEGER }, doc("codebuild/latest/APIReference/API_ImportSourceCredentials.html"), { secret: true }),
    ),
    "aws:codeconnections/connection:Connection": entry(
        physicalName("name", { max: 32, pattern: /^[\s\S]+$/, chars: "any characters" }, doc("codeconnections/latest/APIReference/API_CreateConnection.html"), autoName([])),
        oneOf("providerType", ["Bitbucket", "GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged", "AzureDevOps"], doc("codeconnections/latest/APIReference/API_CreateConnection.html")),
        awsTags(),
    ),
    "aws:s3/bucketLogging:BucketLogging": entry(
        text("targetPrefix", { max: 1024 }, doc("AmazonS3/latest/API/API_LoggingEnabled.html")),
        oneOf("targetObjectKeyFormat.partitionedPrefix.partitionDateSource", ["EventTime", "DeliveryTime"], doc("AmazonS3/latest/API/API_PartitionedPrefix.html")),
    ),
    "aws:elasticache/user:User": entry(
        physicalName(
            "userId",
            { max: Number.MAX_SAFE_INTEGER, pattern: /^[a-zA-Z][a-zA-Z0-9-]*$/, chars: "letters, digits and hyphens, a letter first", forbid: [[/--/, "no two consecutive hyphens"], [/-$/, "no trailing hyphen"]] },
            doc("AmazonElastiCache/latest/APIReference/API_CreateUser.html"),
            false,
        ),
        text("userName", { min: 1, max: Number.MAX_SAFE_INTEGER }, doc("AmazonElastiCache/latest/APIReference/API_CreateUser.html")),
        oneOf("engine", ["redis", "valkey"], doc("AmazonElastiCache/latest/APIReference/API_CreateUser.html")),
        text("accessString", { max: Number.MAX_SAFE_INTEGER, pattern: /\S/, chars: "at least one non-space character" }, doc("AmazonElastiCache/latest/APIReference/API_CreateUser.html")),
        oneOf("authenticationMode.type", ["password", "no-password-required", "iam"], doc("AmazonElastiCache/latest/APIReference/API_AuthenticationMode.html")),
        // Passwords: 16–128 printable characters without space, `"`, `/` or `@`; at most two per user.
        text("authenticationMode.passwords[]", { min: 16, max: 128, pattern: /^[!#-.0-?A-~]+$/, chars: "printable ASCII except space, \" / @" }, doc("AmazonElastiCache/latest/dg/Clusters.RBAC.html"), { secret: true }),
        custom("value", "authenticationMode.passwords", (v) => (Array.isArray(v) && v.length > 2 ? "at most two passwords" : undefined), doc("AmazonElastiCache/latest/APIReference/API_AuthenticationMode.html")),
        awsTags(),
    ),
    "aws:elasticache/userGroup:UserGroup": entry(
        physicalName("userGroupId", { max: Number.MAX_SAFE_INTEGER, pattern: /^[a-zA-Z][a-zA-Z0-9-]*$/, chars: "letters, digits and hyphens, a letter first" }, doc("AmazonElastiCache/latest/APIReference/API_CreateUserGroup.html"), false),
        oneOf("engine", ["redis", "valkey"], doc("AmazonElastiCache/latest/APIReference/API_CreateUserGroup.html")),
        custom("value", "userIds", (v) => (Array.isArray(v) && v.length > 100 ? "at most 100 users per group" : undefined), doc("AmazonElastiCache/latest/dg/quota-limits.html")),
        awsTags(),
    ),
    "aws:secretsmanager/secretRotation:SecretRotation": entry(
        between("rotationRules.automaticallyAfterDays", 1, 1000, doc("secretsmanager/latest/apireference/API_RotationRulesType.html")),
    ),
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": entry(
        // SAR prefixes the CloudFormation stack name with `serverlessrepo-` (15 of CloudFormation's 128).
        physicalName("name", { max: 113, pattern: /^[a-zA-Z][-a-zA-Z0-9]*$/, chars: "letters, digits and hyphens, a letter first" }, doc("AWSCloudFormation/latest/APIReference/API_CreateStack.html"), false),
        oneOf("capabilities[]", ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_RESOURCE_POLICY", "CAPABILITY_AUTO_EXPAND"], doc("serverlessrepo/latest/devguide/acknowledging-application-capabilities.html")),
        text("parameters.functionName", { max: 64, pattern: /^[a-zA-Z0-9-_]+$/, chars: "letters, digits, - and _" }, doc("lambda/latest/api/API_CreateFunction.html")),
        awsTags(),
    ),
    "aws:dynamodb/table:Table": entry(
        physicalName("name", { min: 3, max: 255, pattern: /^[A-Za-z0-9_.-]+$/, chars: "letters, digits, _ . -" }, doc("amazondynamodb/latest/APIReference/API_CreateTable.html")),
        oneOf("billingMode", ["PROVISIONED", "PAY_PER_REQUEST"], doc("amazondynamodb/latest/APIReference/API_CreateTable.html")),
        oneOf("attributes[].type", ["S", "N", "B"], doc("amazondynamodb/latest/APIReference/API_AttributeDefinition.html")),
        oneOf("streamViewType", ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"], doc("amazondynamodb/latest/APIReference/API_StreamSpecification.html")),
        text("replicas[].regionName", { max: 32, pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, chars: "a region code such as eu-west-1" }, doc("amazondynamodb/latest/APIReference/API_CreateReplicationGroupMemberAction.html")),
        awsTags(),
    ),
    "aws:backup/vault:Vault": entry(
        physicalName("name", { min: 2, max: 50, pattern: /^[a-zA-Z0-9\-_]+$/, chars: "letters, digits, - and _" }, doc("aws-backup/latest/devguide/API_CreateBackupVault.html")),
        awsTags(),
    ),
    "aws:backup/plan:Plan": entry(
        physicalName("name", { min: 1, max: 50, pattern: /^[a-zA-Z0-9\-_.]+$/, chars: "letters, digits, - _ ." }, doc("aws-backup/latest/devguide/API_BackupPlanInput.html")),
        text("rules[].ruleName", { min: 1, max: 50, pattern: /^[a-zA-Z0-9\-_.]+$/, chars: "letters, digits, - _ ." }, doc("aws-backup/latest/devguide/API_BackupRuleInput.html")),
        // "If this value is included, it must be at least 60 minutes to avoid errors."
        inRanges("rules[].startWindow", [[60, Number.MAX_SAFE_INTEGER]], doc("aws-backup/latest/devguide/API_BackupRuleInput.html")),
        inRanges("rules[].lifecycle.deleteAfter", [[1, 36500]], doc("aws-backup/latest/devguide/API_Lifecycle.html")),
        inRanges("rules[].copyActions[].lifecycle.deleteAfter", [[1, 36500]], doc("aws-backup/latest/devguide/API_Lifecycle.html")),
        awsTags(),
    ),
    "aws:backup/selection:Selection": entry(
        physicalName("name", { min: 1, max: 50, pattern: /^[a-zA-Z0-9\-_.]+$/, chars: "letters, digits, - _ ." }, doc("aws-backup/latest/devguide/API_BackupSelection.html")),
    ),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": entry(
        text("rules[].id", { max: 255 }, doc("AmazonS3/latest/API/API_ReplicationRule.html")),
        oneOf("rules[].status", ["Enabled", "Disabled"], doc("AmazonS3/latest/API/API_ReplicationRule.html")),
        // Replication Time Control takes exactly 15 minutes, for the SLA and for its metrics threshold.
        oneOf("rules[].destination.replicationTime.time.minutes", [15], doc("AmazonS3/latest/API/API_ReplicationTimeValue.html")),
        oneOf("rules[].destination.metrics.eventThreshold.minutes", [15], doc("AmazonS3/latest/API/API_ReplicationTimeValue.html")),
        inRanges("rules[].priority", [[0, Number.MAX_SAFE_INTEGER]], doc("AmazonS3/latest/API/API_ReplicationRule.html")),
    ),
    "aws:rds/proxy:Proxy": entry(
        physicalName("name", identifier(63, false), doc("AmazonRDS/latest/APIReference/API_CreateDBProxy.html"), autoName([])),
        oneOf("engineFamily", ["MYSQL", "POSTGRESQL", "SQLSERVER"], doc("AmazonRDS/latest/APIReference/API_CreateDBProxy.html")),
        oneOf("defaultAuthScheme", ["NONE", "IAM_AUTH"], doc("AmazonRDS/latest/APIReference/API_CreateDBProxy.html")),
        between("idleClientTimeout", 1, 28800, doc("AmazonRDS/latest/APIReference/API_CreateDBProxy.html")),
        custom("range", "vpcSubnetIds", (v) => (Array.isArray(v) && v.length < 2 ? "at least two subnets in different zones" : undefined), doc("AmazonRDS/latest/APIReference/API_CreateDBProxy.html")),
        awsTags(),
    ),
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": entry(
        between("connectionPoolConfig.maxConnectionsPercent", 1, 100, doc("AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html")),
        between("connectionPoolConfig.maxIdleConnectionsPercent", 0, 100, doc("AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html")),
        between("connectionPoolConfig.connectionBorrowTimeout", 0, 3600, doc("AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html")),
        custom("value", "connectionPoolConfig.sessionPinningFilters", (v) => (Array.isArray(v) && v.some((f) => f !== "EXCLUDE_VARIABLE_SETS") ? "only EXCLUDE_VARIABLE_SETS" : undefined), doc("AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html")),
    ),
    "aws:cloudfront/publicKey:PublicKey": entry(text("comment", { min: 0, max: 128 }, doc("cloudfront/latest/APIReference/API_PublicKeyConfig.html"))),
    "aws:cloudfront/keyGroup:KeyGroup": entry(
        text("name", { max: 128, pattern: /^[A-Za-z0-9_-]+$/, chars: "letters, digits, - and _" }, doc("cloudfront/latest/APIReference/API_KeyGroupConfig.html")),
        custom("range", "items", (v) => (Array.isArray(v) && (v.length < 1 || v.length > 5) ? "1–5 public keys" : undefined), doc("AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html")),
    ),
    "aws:cloudfront/originAccessControl:OriginAccessControl": entry(
        text("name", { max: 64, pattern: /^[\s\S]+$/, chars: "any characters" }, doc("cloudfront/latest/APIReference/API_OriginAccessControlConfig.html")),
        oneOf("originAccessControlOriginType", ["s3", "mediastore", "lambda", "mediapackagev2"], doc("cloudfront/latest/APIReference/API_OriginAccessControlConfig.html")),
        oneOf("signingBehavior", ["never", "always", "no-override"], doc("cloudfront/latest/APIReference/API_OriginAccessControlConfig.html")),
    ),
    "aws:cloudfront/cachePolicy:CachePolicy": entry(
        text("name", { max: 128, pattern: /^[A-Za-z0-9_-]+$/, chars: "letters, digits, - and _" }, doc("cloudfront/latest/APIReference/API_CachePolicyConfig.html")),
        custom("range", "maxTtl", (v, p) => (typeof v === "number" && typeof p.defaultTtl === "number" && v < p.defaultTtl ? "maxTtl ≥ defaultTtl" : undefined), doc("cloudfront/latest/APIReference/API_CachePolicyConfig.html")),
    ),
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": entry(text("name", { max: 128, pattern: /^[A-Za-z0-9_-]+$/, chars: "letters, digits, - and _" }, doc("cloudfront/latest/APIReference/API_ResponseHeadersPolicyConfig.html"))),
    "aws:cloudfront/distribution:Distribution": entry(
        oneOf("priceClass", ["PriceClass_All", "PriceClass_200", "PriceClass_100"], doc("cloudfront/latest/APIReference/API_DistributionConfig.html")),
        oneOf("httpVersion", ["http1.1", "http2", "http3", "http2and3"], doc("cloudfront/latest/APIReference/API_DistributionConfig.html")),
        oneOf("viewerCertificate.minimumProtocolVersion", ["SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.3_2025", "TLSv1.2_2025"], doc("cloudfront/latest/APIReference/API_ViewerCertificate.html")),
        oneOf("defaultCacheBehavior.viewerProtocolPolicy", ["allow-all", "https-only", "redirect-to-https"], doc("cloudfront/latest/APIReference/API_DefaultCacheBehavior.html")),
        awsTags(),
    ),
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": entry(text("name", { max: 60, pattern: /^[\w-]+$/, chars: "letters, digits, _ and -" }, doc("AmazonCloudWatchLogs/latest/APIReference/API_PutDeliverySource.html"))),
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": entry(
        text("name", { max: 60, pattern: /^[\w-]+$/, chars: "letters, digits, _ and -" }, doc("AmazonCloudWatchLogs/latest/APIReference/API_PutDeliveryDestination.html")),
        oneOf("outputFormat", ["json", "plain", "w3c", "raw", "parquet"], doc("AmazonCloudWatchLogs/latest/APIReference/API_PutDeliveryDestination.html")),
    ),
    "aws:cloudwatch/logDelivery:LogDelivery": association("a delivery source to a delivery destination"),
    "aws:msk/cluster:Cluster": entry(
        text("clusterName", { max: 64, pattern: /^[A-Za-z][A-Za-z0-9-]*$/, chars: "letters, digits and '-', a letter first" }, doc("msk/1.0/apireference/clusters.html")),
        between("brokerNodeGroupInfo.storageInfo.ebsStorageInfo.volumeSize", 1, 16384, doc("msk/latest/developerguide/msk-create-cluster.html")),
        oneOf("encryptionInfo.encryptionInTransit.clientBroker", ["TLS", "TLS_PLAINTEXT", "PLAINTEXT"], doc("msk/1.0/apireference/clusters.html")),
        oneOf("enhancedMonitoring", ["DEFAULT", "PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"], doc("msk/1.0/apireference/clusters.html")),
        awsTags(),
    ),
    "aws:msk/configuration:Configuration": entry(text("name", { max: 64, pattern: /^[0-9A-Za-z][0-9A-Za-z-]{0,}$/, chars: "letters, digits and '-'" }, doc("msk/1.0/apireference/configurations.html"))),
    "aws:msk/replicator:Replicator": entry(
        text("replicatorName", { max: 128, pattern: /^[0-9A-Za-z][0-9A-Za-z-]{0,}$/, chars: "letters, digits and '-'" }, doc("MSK/latest/APIReference/v1-replicators.html")),
        text("description", { min: 0, max: 1024, pattern: /^[\x20-\x7E]*$/, chars: "printable ASCII" }, doc("MSK/latest/APIReference/v1-replicators.html")),
        oneOf("replicationInfoList.targetCompressionType", ["NONE", "GZIP", "SNAPPY", "LZ4", "ZSTD"], doc("MSK/latest/APIReference/v1-replicators.html")),
    ),
    "aws:rds/proxyTarget:ProxyTarget": entry(text("targetGroupName", { max: 63, pattern: /^default$/, chars: "default (the only target group)" }, doc("AmazonRDS/latest/APIReference/API_RegisterDBProxyTargets.html"))),
    // Inter-region peering: the peer VPC's region; no security-group references across regions (CIDR rules instead).
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": entry(
        awsTags(),
        text("peerRegion", { max: 32, pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, chars: "a region code such as eu-central-1" }, doc("vpc/latest/peering/vpc-peering-basics.html")),
    ),
    "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter": entry(awsTags()),
    "aws:ec2/route:Route": entry(text("destinationCidrBlock", { max: 18, pattern: /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, chars: "an IPv4 CIDR" }, doc("AWSEC2/latest/APIReference/API_CreateRoute.html"))),
};

function rangeOfPort(v: unknown): string | undefined {
    const n = typeof v === "number" ? v : typeof v === "string" && DIGITS.test(v) ? Number(v) : NaN;
    return n >= 1 && n <= 65535 ? undefined : '"traffic-port" or 1–65535';
}

/** Provider-level defaults the provider merges into every resource's tags. */
export const awsProviderLimits: TypeEntry = entry(constraint("aws-tags", "defaultTags.tags", providerTagsTest, TAGS), text("region", { max: 32, pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, chars: "a region code such as eu-west-1" }, doc("general/latest/gr/rande.html")));

