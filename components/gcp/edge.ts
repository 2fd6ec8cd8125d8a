import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { WebhookVendor } from "../../data/catalog/types";

/** Cloud Armor's preconfigured WAF rules (ModSecurity CRS 3.3), denied at sensitivity 1. */
export const wafRules = [
    "sqli-v33-stable",
    "xss-v33-stable",
    "lfi-v33-stable",
    "rfi-v33-stable",
    "rce-v33-stable",
    "methodenforcement-v33-stable",
    "scannerdetection-v33-stable",
    "protocolattack-v33-stable",
    "sessionfixation-v33-stable",
] as const;

/**
 * Cloud Armor's preconfigured rule for the Log4j family (CVE-2021-44228 and its variants), the
 * counterpart of AWS WAF's KnownBadInputs group; every signature of the set (sensitivity 4).
 */
export const cveRule = { rule: "cve-canary", sensitivity: 4 } as const;

/**
 * The edge's TLS (seed 001 §2: "TLS 1.3"). SSL policies accept `minTlsVersion: TLS_1_3` with the
 * RESTRICTED profile (Compute API `SslPolicy.MinTlsVersion`), so TLS 1.2 and older are refused.
 */
export const edgeTls = { profile: "RESTRICTED", minTlsVersion: "TLS_1_3" } as const;

/** Header the platform gateway sets from `tenants_local.region` (seed 001 §1, §10). */
export const tenantRegionHeader = "X-Tenant-Region";
/** Status for a tenant routed to a region that does not hold its data (seed 001 §10). */
export const residencyStatus = 451;

/** Cloud Armor rate-limit window; the per-second cap is enforced as count per window. */
export const rateLimitIntervalSec = 10;

/** The Cloud Armor rules: WAF denials, per-vendor webhook throttles, default allow. */
export function securityPolicyRules(vendors: readonly WebhookVendor[]): gcp.types.input.compute.SecurityPolicyRule[] {
    const cve = {
        priority: 999,
        action: "deny(403)",
        description: `WAF ${cveRule.rule} (Log4j family)`,
        match: { expr: { expression: `evaluatePreconfiguredWaf('${cveRule.rule}', {'sensitivity': ${cveRule.sensitivity}})` } },
    };
    const waf = wafRules.map((rule, i) => ({
        priority: 1000 + i,
        action: "deny(403)",
        description: `WAF ${rule}`,
        match: { expr: { expression: `evaluatePreconfiguredWaf('${rule}', {'sensitivity': 1})` } },
    }));
    const throttles = vendors.map((v, i) => ({
        priority: 2000 + i,
        action: "throttle",
        description: `${v.vendor} webhooks: ${v.capRps} req/s cap (seed 001 §7)`,
        match: { expr: { expression: `request.path.startsWith('${v.pathPrefix}')` } },
        rateLimitOptions: {
            conformAction: "allow",
            exceedAction: "deny(429)",
            enforceOnKey: "ALL",
            rateLimitThreshold: { count: v.capRps * rateLimitIntervalSec, intervalSec: rateLimitIntervalSec },
        },
    }));
    const fallback = {
        priority: 2147483647,
        action: "allow",
        description: "default allow (after WAF and rate limits)",
        match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } },
    };
    return [cve, ...waf, ...throttles, fallback];
}

export interface EdgeRegion {
    readonly region: string;
    readonly apiServiceName: pulumi.Input<string>;
    /** The peers' entry (IAM invocation on) the internal load balancer fronts. */
    readonly internalServiceName: pulumi.Input<string>;
    readonly provider: gcp.Provider;
    readonly subnetId: pulumi.Input<string>;
    /** The internal load balancer's forwarding rule waits for the proxy-only subnet. */
    readonly proxyOnlySubnet: pulumi.Resource;
}

export interface EdgeArgs {
    readonly unit: string;
    readonly environment: string;
    /** Public host (seed 001 §5: `notify.{domain}`). */
    readonly publicHost: string;
    /** Private host for peer callers on AWS (`notification-internal.{domain}`, seed 001 §5). */
    readonly internalHost: string;
    readonly regions: readonly EdgeRegion[];
    readonly vendors: readonly WebhookVendor[];
    readonly networkId: pulumi.Input<string>;
    readonly labels: Readonly<Record<string, string>>;
    /** The provider for global resources. */
    readonly provider: gcp.Provider;
}

/**
 * The edge (seed 001 §2, §5, §10), once per stack: a global external Application Load Balancer
 * (EXTERNAL_MANAGED) with a serverless NEG and backend service per active region, managed
 * certificate, TLS 1.3 only (RESTRICTED), HTTP→HTTPS redirect, Cloud Armor (WAF incl. the Log4j family, per-vendor webhook caps),
 * and the residency rule. Cloud Armor can deny only with 403/404/502, so the 451 comes from the URL
 * map: a route rule matching a tenant-region header this stack does not serve aborts with 451
 * (fault injection, 100 %; supported by the global external ALB). An internal Application Load
 * Balancer per active region serves `notification-internal` to peer callers over HTTPS; both hosts get DNS.
 */
/** A DNS record Certificate Manager needs in the domain's public zone to issue the internal certificate. */
export interface DnsValidationRecord {
    readonly region: string;
    readonly name: pulumi.Output<string>;
    readonly type: pulumi.Output<string>;
    readonly data: pulumi.Output<string>;
}

/** Port the internal load balancer listens on (HTTPS, issue 15). */
export const internalHttpsPort = 443;

export class Edge extends pulumi.ComponentResource {
    readonly publicIp: pulumi.Output<string>;
    readonly internalIps: Readonly<Record<string, pulumi.Output<string>>>;
    /** Per active region: the CNAME Certificate Manager checks (the AWS side owns the domain's public zone). */
    readonly internalCertValidation: readonly DnsValidationRecord[];
    readonly publicNameServers: pulumi.Output<string[]>;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:Edge", name, {}, opts);
        if (args.regions.length === 0) {
            throw new pulumi.ResourceError("the edge needs at least one active region", this);
        }
        const child = { parent: this, provider: args.provider };
        const prefix = `${args.unit}-${args.environment}`;

        const armor = new gcp.compute.SecurityPolicy(
            `${name}-armor`,
            {
                name: `${prefix}-edge`,
                type: "CLOUD_ARMOR",
                description: "WAF, webhook caps (seed 001 §5, §7)",
                rules: securityPolicyRules(args.vendors),
                adaptiveProtectionConfig: { layer7DdosDefenseConfig: { enable: true } },
                advancedOptionsConfig: { jsonParsing: "STANDARD", logLevel: "NORMAL" },
            },
            child,
        );
        const backends = args.regions.map((r) => {
            const neg = new gcp.compute.RegionNetworkEndpointGroup(
                `${name}-neg-${r.region}`,
                { name: `${args.unit}-api-${r.region}`, region: r.region, networkEndpointType: "SERVERLESS", cloudRun: { service: r.apiServiceName } },
                { parent: this, provider: r.provider },
            );
            const backend = new gcp.compute.BackendService(
                `${name}-backend-${r.region}`,
                {
                    name: `${args.unit}-api-${r.region}`,
                    loadBalancingScheme: "EXTERNAL_MANAGED",
                    protocol: "HTTPS",
                    backends: [{ group: neg.id }],
                    securityPolicy: armor.selfLink,
                    logConfig: { enable: true, sampleRate: 1 },
                },
                child,
            );
            return { region: r.region, backend };
        });
        const primary = backends[0].backend;

        const ip = new gcp.compute.GlobalAddress(`${name}-ip`, { name: `${prefix}-edge`, addressType: "EXTERNAL", ipVersion: "IPV4" }, child);
        this.publicIp = ip.address;
        const cert = new gcp.compute.ManagedSslCertificate(`${name}-cert`, { name: `${prefix}-edge`, managed: { domains: [`${args.publicHost}.`] } }, child);
        const sslPolicy = new gcp.compute.SSLPolicy(`${name}-ssl`, { name: `${prefix}-tls13`, ...edgeTls }, child);
        const servedRegex = `^(${args.regions.map((r) => r.region.replace(/-/g, "\\-")).join("|")})$`;
        const urlMap = new gcp.compute.URLMap(
            `${name}-urlmap`,
            {
                name: `${prefix}-edge`,
                defaultService: primary.id,
                hostRules: [{ hosts: [args.publicHost], pathMatcher: "api" }],
                pathMatchers: [
                    {
                        name: "api",
                        defaultService: primary.id,
                        routeRules: [
                            ...backends.map((b, i) => ({
                                priority: 10 + i,
                                matchRules: [{ prefixMatch: "/", headerMatches: [{ headerName: tenantRegionHeader, exactMatch: b.region }] }],
                                service: b.backend.id,
                            })),
                            {
                                // A tenant region this stack does not serve: its data lives elsewhere.
                                priority: 100,
                                matchRules: [{ prefixMatch: "/", headerMatches: [{ headerName: tenantRegionHeader, regexMatch: servedRegex, invertMatch: true }] }],
                                service: primary.id,
                                routeAction: { faultInjectionPolicy: { abort: { httpStatus: residencyStatus, percentage: 100 } } },
                            },
                        ],
                    },
                ],
            },
            child,
        );
        const httpsProxy = new gcp.compute.TargetHttpsProxy(
            `${name}-https`,
            { name: `${prefix}-edge`, urlMap: urlMap.id, sslCertificates: [cert.id], sslPolicy: sslPolicy.id },
            child,
        );
        new gcp.compute.GlobalForwardingRule(
            `${name}-https-rule`,
            { name: `${prefix}-edge-https`, target: httpsProxy.id, ipAddress: ip.id, portRange: "443", loadBalancingScheme: "EXTERNAL_MANAGED", ipProtocol: "TCP", labels: args.labels },
            child,
        );
        const redirect = new gcp.compute.URLMap(
            `${name}-redirect`,
            { name: `${prefix}-edge-redirect`, defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: "MOVED_PERMANENTLY_DEFAULT", stripQuery: false } },
            child,
        );
        const httpProxy = new gcp.compute.TargetHttpProxy(`${name}-http`, { name: `${prefix}-edge-redirect`, urlMap: redirect.id }, child);
        new gcp.compute.GlobalForwardingRule(
            `${name}-http-rule`,
            { name: `${prefix}-edge-http`, target: httpProxy.id, ipAddress: ip.id, portRange: "80", loadBalancingScheme: "EXTERNAL_MANAGED", ipProtocol: "TCP", labels: args.labels },
            child,
        );

        // Internal Application Load Balancer per active region for the peer callers (issue 15): HTTPS on 443
        // with a regional Google-managed Certificate Manager certificate (DNS authorization: regional
        // certificates cannot use load balancer authorization), TLS 1.2+ RESTRICTED, in front of the peers'
        // Cloud Run entry, which checks each request's ID token (IAM invoker, custom audience). This
        // replaces seed 001 §5's SPIFFE sidecar, which Cloud Run cannot run as described (README).
        const internalIps: Record<string, pulumi.Output<string>> = {};
        const validation: DnsValidationRecord[] = [];
        for (const r of args.regions) {
            const regional = { parent: this, provider: r.provider };
            const neg = new gcp.compute.RegionNetworkEndpointGroup(
                `${name}-ilb-neg-${r.region}`,
                // The NEG now points at the peers' entry. A NEG is immutable: a new name lets the replacement be
                // created and the backend service moved to it before the old one (in use until then) is deleted.
                { name: `${args.unit}-peers-${r.region}`, region: r.region, networkEndpointType: "SERVERLESS", cloudRun: { service: r.internalServiceName } },
                regional,
            );
            const backend = new gcp.compute.RegionBackendService(
                `${name}-ilb-backend-${r.region}`,
                { name: `${args.unit}-api-internal-${r.region}`, region: r.region, loadBalancingScheme: "INTERNAL_MANAGED", protocol: "HTTP", backends: [{ group: neg.id, balancingMode: "UTILIZATION", capacityScaler: 1 }], logConfig: { enable: true, sampleRate: 1 } },
                regional,
            );
            const map = new gcp.compute.RegionUrlMap(`${name}-ilb-urlmap-${r.region}`, { name: `${args.unit}-internal-${r.region}`, region: r.region, defaultService: backend.id }, regional);
            const auth = new gcp.certificatemanager.DnsAuthorization(
                `${name}-ilb-dns-auth-${r.region}`,
                { name: `${args.unit}-internal-${r.region}`, location: r.region, domain: args.internalHost, type: "PER_PROJECT_RECORD", description: "notification-internal.{domain} (issue 15)", labels: args.labels },
                regional,
            );
            const cert = new gcp.certificatemanager.Certificate(
                `${name}-ilb-cert-${r.region}`,
                {
                    name: `${args.unit}-internal-${r.region}`,
                    location: r.region,
                    description: "Internal load balancer certificate for peer callers (issue 15)",
                    managed: { domains: [args.internalHost], dnsAuthorizations: [auth.id] },
                    labels: args.labels,
                },
                regional,
            );
            const sslPolicy = new gcp.compute.RegionSslPolicy(
                `${name}-ilb-ssl-${r.region}`,
                { name: `${args.unit}-internal-tls12-${r.region}`, region: r.region, profile: "RESTRICTED", minTlsVersion: "TLS_1_2" },
                regional,
            );
            const proxy = new gcp.compute.RegionTargetHttpsProxy(
                `${name}-ilb-https-${r.region}`,
                { name: `${args.unit}-internal-${r.region}`, region: r.region, urlMap: map.id, certificateManagerCertificates: [cert.id], sslPolicy: sslPolicy.id },
                regional,
            );
            const address = new gcp.compute.Address(
                `${name}-ilb-ip-${r.region}`,
                { name: `${args.unit}-internal-${r.region}`, region: r.region, addressType: "INTERNAL", subnetwork: r.subnetId, purpose: "GCE_ENDPOINT" },
                regional,
            );
            new gcp.compute.ForwardingRule(
                `${name}-ilb-rule-${r.region}`,
                {
                    name: `${args.unit}-internal-${r.region}`,
                    region: r.region,
                    loadBalancingScheme: "INTERNAL_MANAGED",
                    target: proxy.id,
                    ipAddress: address.id,
                    ipProtocol: "TCP",
                    portRange: String(internalHttpsPort),
                    network: args.networkId,
                    subnetwork: r.subnetId,
                    allowGlobalAccess: true,
                    labels: args.labels,
                },
                // 80 → 443 replaces the rule under the same name.
                { ...regional, dependsOn: [r.proxyOnlySubnet], deleteBeforeReplace: true },
            );
            internalIps[r.region] = address.address;
            const record = auth.dnsResourceRecords.apply((records) => {
                const first = records[0];
                if (!first?.name || !first.type || !first.data) {
                    throw new pulumi.ResourceError(`DNS authorization of ${args.internalHost} in ${r.region} returned no record`, this);
                }
                return { name: first.name, type: first.type, data: first.data };
            });
            validation.push({ region: r.region, name: record.name, type: record.type, data: record.data });
        }
        this.internalCertValidation = validation;
        this.internalIps = internalIps;

        // The stack owns the `notify` subdomain (the parent zone delegates to these name servers).
        const publicZone = new gcp.dns.ManagedZone(
            `${name}-public-zone`,
            {
                name: `${prefix}-notify-public`,
                dnsName: `${args.publicHost}.`,
                visibility: "public",
                dnssecConfig: { state: "on" },
                description: "notify.{domain} (seed 001 §5)",
                labels: args.labels,
                forceDestroy: false,
            },
            child,
        );
        this.publicNameServers = publicZone.nameServers;
        new gcp.dns.RecordSet(`${name}-public-a`, { managedZone: publicZone.name, name: `${args.publicHost}.`, type: "A", ttl: 300, rrdatas: [ip.address] }, child);
        const privateZone = new gcp.dns.ManagedZone(
            `${name}-private-zone`,
            {
                name: `${prefix}-internal`,
                dnsName: `${args.internalHost}.`,
                visibility: "private",
                privateVisibilityConfig: { networks: [{ networkUrl: args.networkId }] },
                description: "notification-internal.{domain} (seed 001 §5)",
                labels: args.labels,
                forceDestroy: false,
            },
            child,
        );
        new gcp.dns.RecordSet(
            `${name}-private-a`,
            {
                managedZone: privateZone.name,
                name: `${args.internalHost}.`,
                type: "A",
                ttl: 60,
                // Callers resolve to the internal load balancer of their own region.
                routingPolicy: { geos: args.regions.map((r) => ({ location: r.region, rrdatas: [internalIps[r.region]] })) },
            },
            child,
        );
        this.registerOutputs({ publicIp: this.publicIp, internalIps: this.internalIps, publicNameServers: this.publicNameServers });
    }
}
