import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts, helmRelease, platformNamespace } from "./helm";
import { ambientLabel } from "../../data/mesh";
import { OidcIdentity, irsaRole } from "./irsa";
import { logPrefixes } from "../../data/log-delivery";
import { DnsRecordPlan } from "../../data/residency";

export interface EdgeArgs {
    /** Environment (dev, staging, prod): names, tags and sizing. */
    readonly environment: string;
    /** AWS region of this platform. */
    readonly region: string;
    /** The region's role in the stack (active serves its home's tenants; passive is a warm standby). */
    readonly regionRole: "active" | "passive";
    /**
     * The public records this region answers (data/residency.ts `dnsPlan`): its home's hostname,
     * plain or as the failover primary/secondary of its home. Empty: the region stays out of DNS.
     */
    readonly dnsRecords: readonly DnsRecordPlan[];
    /** The stack's DNS zone (e.g. us.melmastoon.com); the certificate covers it and `*.` it. */
    readonly domain: string;
    /** EKS cluster name. */
    readonly clusterName: pulumi.Input<string>;
    /** The region's VPC. */
    readonly vpcId: pulumi.Input<string>;
    /** The VPC's CIDR. */
    readonly vpcCidr: string;
    /** Public subnets (one per zone) for the internet-facing ALB. */
    readonly publicSubnetIds: pulumi.Input<string>[];
    /** EKS cluster security group (pods): admits the ALB on the Envoy ports only. */
    readonly clusterSecurityGroupId: pulumi.Input<string>;
    /** The cluster's OIDC identity, for IRSA roles. */
    readonly oidc: OidcIdentity;
    /** Node label key selecting a pool; platform pods go to the `platform` pool. */
    readonly nodePoolLabel: string;
    /** Standard labels (environment, service, owner, managed-by) of every Kubernetes object. */
    readonly labels: Readonly<Record<string, string>>;
    /** Envoy proxy replicas behind the ALB. */
    readonly envoyReplicas: number;
    /** Third-party LRS sources allowed on the xAPI ingest path (progress-service edge rule). */
    readonly lrsAllowCidrs: readonly string[];
    /** Path prefix of the xAPI ingest. */
    readonly xapiIngestPath: string;
    /** Requests per 5 minutes per tenant / per user before WAF blocks. */
    readonly perTenantLimit: number;
    /** Requests per 5 minutes per user (and per IP for anonymous requests). */
    readonly perUserLimit: number;
    /** CMK of the logs data class (CloudWatch log groups). */
    readonly logsKeyArn: pulumi.Input<string>;
    /** Days log groups keep events (environment profile). */
    readonly logRetentionDays: number;
    /** Deletion protection and Pulumi `protect` for stateful resources (staging/prod). */
    readonly protect: boolean;
    /** The region's access-log bucket (components/aws/access-logs.ts): the ALB writes its access logs there. */
    readonly accessLogs: { readonly bucketName: pulumi.Input<string>; readonly ready: readonly pulumi.Resource[] };
    /** Node groups and platform releases the controllers wait for. */
    readonly after: readonly pulumi.Resource[];
}

export const gatewayNamespace = "gateway";
export const gatewayName = "edge";
/** Envoy's service name (fixed through EnvoyProxy so the TargetGroupBinding can name it). */
export const envoyServiceName = "edge-envoy";
/** Envoy Gateway listens on listener port + 10000 for privileged ports: HTTP 80 → 10080. */
export const envoyContainerPort = 10080;
/** Envoy's readiness endpoint port. */
export const envoyReadyPort = 19001;
export const tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";
export const awsManagedRuleGroups = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"] as const;

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
const noTransform = [{ priority: 0, type: "NONE" }];

/** WAF rules of the edge: managed groups, the LRS ingest guard (IP allowlist AND API key) and rate limits. */
export function wafRules(args: Pick<EdgeArgs, "xapiIngestPath" | "perTenantLimit" | "perUserLimit">, ipSetArn: pulumi.Input<string>): aws.types.input.wafv2.WebAclRule[] {
    const managed = awsManagedRuleGroups.map((group, i) => ({
        name: group,
        priority: i,
        overrideAction: { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name: group,
                // xAPI statement batches exceed the 8 KB body inspection size: count, not block.
                ruleActionOverrides: group === "AWSManagedRulesCommonRuleSet" ? [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }] : undefined,
            },
        },
        visibilityConfig: visibility(group),
    }));
    const path = { byteMatchStatement: { searchString: args.xapiIngestPath, positionalConstraint: "STARTS_WITH", fieldToMatch: { uriPath: {} }, textTransformations: [{ priority: 0, type: "LOWERCASE" }] } };
    const method = (m: string) => ({ byteMatchStatement: { searchString: m, positionalConstraint: "EXACTLY", fieldToMatch: { method: {} }, textTransformations: noTransform } });
    // Ingest = writing statements (POST/PUT); reads of the xAPI stay open to authenticated first-party clients.
    const ingest = [path, { orStatement: { statements: [method("POST"), method("PUT")] } }];
    const rateBy = (name: string, priority: number, limit: number, header?: string) => ({
        name,
        priority,
        action: { block: {} },
        statement: {
            rateBasedStatement: header
                ? { limit, evaluationWindowSec: 300, aggregateKeyType: "CUSTOM_KEYS", customKeys: [{ header: { name: header, textTransformations: noTransform } }] }
                : { limit, evaluationWindowSec: 300, aggregateKeyType: "IP" },
        },
        visibilityConfig: visibility(name),
    });
    return [
        ...managed,
        {
            name: "lrs-ingest-ip-allowlist",
            priority: 10,
            action: { block: {} },
            statement: { andStatement: { statements: [...ingest, { notStatement: { statement: { ipSetReferenceStatement: { arn: ipSetArn } } } }] } },
            visibilityConfig: visibility("lrs-ingest-ip-allowlist"),
        },
        {
            name: "lrs-ingest-api-key",
            priority: 11,
            action: { block: {} },
            statement: {
                andStatement: {
                    statements: [
                        ...ingest,
                        {
                            notStatement: {
                                statement: { sizeConstraintStatement: { comparisonOperator: "GT", size: 0, fieldToMatch: { singleHeader: { name: "x-api-key" } }, textTransformations: noTransform } },
                            },
                        },
                    ],
                },
            },
            visibilityConfig: visibility("lrs-ingest-api-key"),
        },
        rateBy("rate-per-tenant", 20, args.perTenantLimit, "x-tenant-id"),
        // The bearer token identifies the user; requests without it fall to the per-IP limit.
        rateBy("rate-per-user", 21, args.perUserLimit, "authorization"),
        rateBy("rate-per-ip", 22, args.perUserLimit),
    ];
}

/**
 * The edge of a region: Envoy Gateway (Gateway API; consistent hashing by header/query for
 * authoring's collab) behind an internet-facing ALB with ACM TLS and WAF, bound to Envoy's
 * ClusterIP service by the AWS Load Balancer Controller's TargetGroupBinding.
 */
export class Edge extends pulumi.ComponentResource {
    readonly gatewayName = gatewayName;
    readonly gatewayNamespace = gatewayNamespace;
    readonly albDnsName: pulumi.Output<string>;
    readonly webAclArn: pulumi.Output<string>;
    readonly certificateArn: pulumi.Output<string>;
    /** Releases installing CRDs (Gateway API + Envoy Gateway, TargetGroupBinding). */
    readonly crdReleases: readonly k8s.helm.v3.Release[];

    constructor(name: string, args: EdgeArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider; awsProvider: aws.Provider }) {
        super("learning-platform:aws:Edge", name, {}, opts);
        const a = { parent: this, provider: opts.awsProvider };
        const k = { parent: this, provider: opts.provider };
        const onPlatform = { [args.nodePoolLabel]: "platform" };

        // --- AWS side: certificate, ALB, target group, WAF ---
        const zone = aws.route53.getZoneOutput({ name: args.domain, privateZone: false }, { parent: this, provider: opts.awsProvider });
        const cert = new aws.acm.Certificate(
            `${name}-cert`,
            { domainName: `*.${args.domain}`, subjectAlternativeNames: [args.domain], validationMethod: "DNS", keyAlgorithm: "EC_prime256v1", options: { certificateTransparencyLoggingPreference: "ENABLED" } },
            a,
        );
        // The apex and the wildcard share one validation record; both regions of a stack write the same one.
        const dvo = cert.domainValidationOptions.apply((o) => o[0]);
        const validationRecord = new aws.route53.Record(
            `${name}-cert-validation`,
            { zoneId: zone.zoneId, name: dvo.apply((d) => d.resourceRecordName ?? ""), type: dvo.apply((d) => d.resourceRecordType ?? "CNAME"), records: [dvo.apply((d) => d.resourceRecordValue ?? "")], ttl: 300, allowOverwrite: true },
            a,
        );
        const validation = new aws.acm.CertificateValidation(`${name}-cert-validated`, { certificateArn: cert.arn, validationRecordFqdns: [validationRecord.fqdn] }, a);
        this.certificateArn = validation.certificateArn;

        const albSg = new aws.ec2.SecurityGroup(
            `${name}-alb-sg`,
            {
                vpcId: args.vpcId,
                description: "Internet-facing ALB: HTTPS (and HTTP for the redirect) in, Envoy out",
                ingress: [
                    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS" },
                    { protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"], description: "HTTP, redirected to HTTPS" },
                ],
                egress: [
                    { protocol: "tcp", fromPort: envoyContainerPort, toPort: envoyContainerPort, cidrBlocks: [args.vpcCidr], description: "Envoy pods" },
                    { protocol: "tcp", fromPort: envoyReadyPort, toPort: envoyReadyPort, cidrBlocks: [args.vpcCidr], description: "Envoy readiness" },
                ],
            },
            a,
        );
        for (const [port, what] of [[envoyContainerPort, "traffic"], [envoyReadyPort, "health"]] as const) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-alb-to-envoy-${what}`,
                { securityGroupId: args.clusterSecurityGroupId, referencedSecurityGroupId: albSg.id, ipProtocol: "tcp", fromPort: port, toPort: port, description: `ALB to Envoy ${what}` },
                a,
            );
        }
        const alb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                name: `edge-${args.environment}`,
                internal: false,
                loadBalancerType: "application",
                securityGroups: [albSg.id],
                subnets: args.publicSubnetIds,
                dropInvalidHeaderFields: true,
                // Long idle timeout: authoring collab holds WebSockets.
                idleTimeout: 3600,
                enableDeletionProtection: args.protect,
                enableHttp2: true,
                desyncMitigationMode: "strictest",
                // Every request, to the region's locked log bucket (ELB checks the bucket policy when logging is turned on).
                accessLogs: { bucket: args.accessLogs.bucketName, prefix: logPrefixes.alb, enabled: true },
            },
            { ...a, dependsOn: [...args.accessLogs.ready] },
        );
        this.albDnsName = alb.dnsName;
        const tg = new aws.lb.TargetGroup(
            `${name}-envoy-tg`,
            {
                name: `edge-envoy-${args.environment}`,
                port: envoyContainerPort,
                protocol: "HTTP",
                targetType: "ip",
                vpcId: args.vpcId,
                deregistrationDelay: 30,
                healthCheck: { path: "/ready", port: String(envoyReadyPort), protocol: "HTTP", matcher: "200", interval: 10, healthyThreshold: 2, unhealthyThreshold: 3 },
            },
            a,
        );
        new aws.lb.Listener(
            `${name}-https`,
            { loadBalancerArn: alb.arn, port: 443, protocol: "HTTPS", sslPolicy: tlsPolicy, certificateArn: validation.certificateArn, defaultActions: [{ type: "forward", targetGroupArn: tg.arn }] },
            a,
        );
        new aws.lb.Listener(
            `${name}-http-redirect`,
            { loadBalancerArn: alb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] },
            a,
        );
        // No name is shared across homes (policy residency/dns-spans-unshared-data): a tenant's hostname
        // resolves only to regions holding its data; failover stays inside the home (global database).
        args.dnsRecords.forEach((record, i) => {
            const failover = record.routing === "simple" ? {} : { setIdentifier: `${record.region}-${record.routing}`, failoverRoutingPolicies: [{ type: record.routing === "primary" ? "PRIMARY" : "SECONDARY" }] };
            new aws.route53.Record(
                i === 0 ? `${name}-dns` : `${name}-dns-${i}`,
                { zoneId: zone.zoneId, name: record.name, type: "A", ...failover, aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] },
                a,
            );
        });

        const lrs = new aws.wafv2.IpSet(`${name}-lrs-sources`, { scope: "REGIONAL", ipAddressVersion: "IPV4", addresses: [...args.lrsAllowCidrs], description: "Allowlisted third-party LRS sources" }, a);
        const acl = new aws.wafv2.WebAcl(
            `${name}-waf`,
            { scope: "REGIONAL", defaultAction: { allow: {} }, rules: wafRules(args, lrs.arn), visibilityConfig: visibility(`edge-${args.environment}`), description: "Edge WAF" },
            a,
        );
        this.webAclArn = acl.arn;
        new aws.wafv2.WebAclAssociation(`${name}-waf-alb`, { resourceArn: alb.arn, webAclArn: acl.arn }, a);
        // WAF requires log groups named aws-waf-logs-*; credentials are redacted.
        const wafLogs = new aws.cloudwatch.LogGroup(`${name}-waf-logs`, { name: `aws-waf-logs-edge-${args.environment}-${args.region}`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn }, a);
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-waf-logging`,
            { resourceArn: acl.arn, logDestinationConfigs: [wafLogs.arn], redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "x-api-key" } }] },
            a,
        );

        // --- Kubernetes side: AWS Load Balancer Controller (TargetGroupBinding only), Envoy Gateway ---
        const lbcRole = irsaRole(`${name}-lbc-role`, args.oidc, "kube-system", "aws-load-balancer-controller", a);
        // Only what TargetGroupBinding needs: describe, and (de)register targets in this one group.
        new aws.iam.RolePolicy(
            `${name}-lbc-policy`,
            {
                role: lbcRole.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Action: [
                                "ec2:DescribeInstances",
                                "ec2:DescribeNetworkInterfaces",
                                "ec2:DescribeSecurityGroups",
                                "ec2:DescribeSubnets",
                                "ec2:DescribeVpcs",
                                "ec2:DescribeAvailabilityZones",
                                "elasticloadbalancing:DescribeLoadBalancers",
                                "elasticloadbalancing:DescribeListeners",
                                "elasticloadbalancing:DescribeTargetGroups",
                                "elasticloadbalancing:DescribeTargetHealth",
                                "elasticloadbalancing:DescribeTargetGroupAttributes",
                                "elasticloadbalancing:DescribeTags",
                            ],
                            Resource: "*",
                        },
                        { Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: [tg.arn] },
                    ],
                }),
            },
            a,
        );
        const lbc = helmRelease(
            `${name}-aws-load-balancer-controller`,
            "aws-load-balancer-controller",
            charts.awsLoadBalancerController,
            "kube-system",
            {
                clusterName: args.clusterName,
                region: args.region,
                vpcId: args.vpcId,
                replicaCount: 2,
                nodeSelector: onPlatform,
                serviceAccount: { create: true, name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": lbcRole.arn } },
                // The ALB is Pulumi's: the controller only binds targets, it does not create load balancers.
                enableServiceMutatorWebhook: false,
                createIngressClassResource: false,
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
            },
            { ...k, dependsOn: [...args.after] },
        );

        const ns = platformNamespace(`${name}-gateway-ns`, gatewayNamespace, { ...args.labels, "platform.melmastoon.com/edge": "true", ...ambientLabel }, k);
        const envoyGateway = helmRelease(
            `${name}-envoy-gateway`,
            "envoy-gateway",
            charts.envoyGateway,
            ns.metadata.name,
            {
                deployment: { replicas: 1, pod: { nodeSelector: onPlatform } },
                config: { envoyGateway: { provider: { type: "Kubernetes" }, gateway: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" } } },
            },
            { ...k, dependsOn: [...args.after] },
        );
        const crd = { ...k, dependsOn: [envoyGateway] };
        const proxy = new k8s.apiextensions.CustomResource(
            `${name}-envoy-proxy`,
            {
                apiVersion: "gateway.envoyproxy.io/v1alpha1",
                kind: "EnvoyProxy",
                metadata: { name: "edge-proxy", namespace: gatewayNamespace, labels: { ...args.labels } },
                spec: {
                    provider: {
                        type: "Kubernetes",
                        kubernetes: {
                            // ClusterIP: the ALB reaches the pods directly (target type ip).
                            envoyService: { name: envoyServiceName, type: "ClusterIP" },
                            envoyDeployment: {
                                replicas: args.envoyReplicas,
                                pod: {
                                    nodeSelector: onPlatform,
                                    topologySpreadConstraints: [
                                        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { "gateway.envoyproxy.io/owning-gateway-name": gatewayName } } },
                                    ],
                                },
                                container: { resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "2", memory: "1Gi" } } },
                            },
                            envoyPDB: { minAvailable: 1 },
                        },
                    },
                },
            },
            crd,
        );
        const gatewayClass = new k8s.apiextensions.CustomResource(
            `${name}-gateway-class`,
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "GatewayClass",
                metadata: { name: "envoy", labels: { ...args.labels } },
                spec: {
                    controllerName: "gateway.envoyproxy.io/gatewayclass-controller",
                    parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: "edge-proxy", namespace: gatewayNamespace },
                },
            },
            { ...crd, dependsOn: [envoyGateway, proxy] },
        );
        const gateway = new k8s.apiextensions.CustomResource(
            `${name}-gateway`,
            {
                apiVersion: "gateway.networking.k8s.io/v1",
                kind: "Gateway",
                metadata: { name: gatewayName, namespace: gatewayNamespace, labels: { ...args.labels } },
                spec: {
                    gatewayClassName: "envoy",
                    // TLS ends at the ALB; Envoy listens HTTP inside the VPC. Routes attach from service namespaces.
                    listeners: [{ name: "http", protocol: "HTTP", port: 80, allowedRoutes: { namespaces: { from: "All" } } }],
                },
            },
            { ...crd, dependsOn: [gatewayClass] },
        );
        new k8s.apiextensions.CustomResource(
            `${name}-target-group-binding`,
            {
                apiVersion: "elbv2.k8s.aws/v1beta1",
                kind: "TargetGroupBinding",
                metadata: { name: "edge-envoy", namespace: gatewayNamespace, labels: { ...args.labels } },
                spec: { serviceRef: { name: envoyServiceName, port: 80 }, targetGroupARN: tg.arn, targetType: "ip" },
            },
            { ...k, dependsOn: [lbc, gateway] },
        );
        this.crdReleases = [envoyGateway, lbc];
        this.registerOutputs({ albDnsName: this.albDnsName, webAclArn: this.webAclArn });
    }
}
