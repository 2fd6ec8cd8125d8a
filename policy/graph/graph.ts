import { PolicyResource } from "@pulumi/policy";
import { activeCatalog } from "../../data/catalog/synthetic";
import { CloudRunServiceCard, Dependency, K8sServiceCard, TopologyCard } from "../../data/catalog/types";
import { ResourceIndex, clusterOf, clusterRegion, k8sNameOf, namespaceOf, regionOf } from "../resource-index";
import { arr, obj, providerProp } from "../rules/util";
import { awsSecretIdMatches } from "../rules/startup";
import { zoneOfRegion as residencyZoneOfRegion } from "../../data/regions";
import { flagd as flagdService } from "../../data/flags";
import { privateGoogleApis } from "../../data/naming/gcp";

/**
 * The service graph (issue 9 item 3): every dependency a topology card declares, per region the
 * service runs in, and the concrete path the stack registers for it — the name the client is given
 * resolves to the target, the rules on the way (NetworkPolicy egress, security groups, firewall)
 * admit it, and every hop carries the protocol. Pure over the registered resources (the same
 * `PolicyResource`s CrossGuard hands a stack policy); one resolver per dependency kind.
 */

export interface GraphEdge {
    /** `assignment-service@us-east-1`. */
    readonly from: string;
    /** `postgres`, `redis`, `nats`, `object-storage`, `otlp`, `service:<name>`, `cross-cloud:<name>`, `google-apis`, `vendors`. */
    readonly to: string;
    /** What travels, e.g. `postgres/TLS tcp:5432`. */
    readonly protocol: string;
    /** The hops, client side first; empty when there is no path. */
    readonly path: readonly string[];
    /** Why there is no path (empty: the path holds). */
    readonly problems: readonly string[];
    /** Set for a peer another team deploys: what this program guarantees until then. */
    readonly outside?: string;
    /** The resource a finding points at. */
    readonly urn?: string;
}

/** What a resolver knows about the caller. */
export interface EksCaller {
    readonly card: K8sServiceCard;
    readonly cluster: string;
    readonly region: string;
    readonly namespace: PolicyResource;
    /** ConfigMap data of the service. */
    readonly config: Readonly<Record<string, string>>;
    /** Secret values by key (what the ExternalSecret's remote secrets hold), as far as the program sets them. */
    readonly secrets: Readonly<Record<string, string>>;
    /** Egress rules of the NetworkPolicies in the service's namespace. */
    readonly egress: readonly EgressRule[];
}

export interface EgressRule {
    readonly policy: string;
    readonly to: readonly Record<string, unknown>[];
    readonly ports: readonly { readonly protocol: string; readonly port?: number; readonly endPort?: number }[];
}

interface Found {
    readonly path: string[];
    readonly problems: string[];
    readonly outside?: string;
}

const tcpPorts = (rule: EgressRule, port: number): boolean =>
    rule.ports.length === 0 || rule.ports.some((p) => p.protocol.toUpperCase() === "TCP" && (p.port === undefined || (p.port <= port && port <= (p.endPort ?? p.port))));

function ipv4(a: string): number {
    return a.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** Is `inner` (CIDR or address) inside `outer`? */
export function cidrContains(outer: string, inner: string): boolean {
    const [oa, ob] = outer.split("/");
    const [ia, ib] = inner.includes("/") ? inner.split("/") : [inner, "32"];
    const obits = Number(ob);
    if (Number(ib) < obits) {
        return false;
    }
    const mask = obits === 0 ? 0 : 2 ** 32 - 2 ** (32 - obits);
    return (ipv4(oa) & mask) >>> 0 === (ipv4(ia) & mask) >>> 0;
}

/** The NetworkPolicy egress rule that admits TCP `port` to a peer matching `peer`, if any. */
export function egressAdmits(egress: readonly EgressRule[], port: number, peer: (to: Record<string, unknown>) => boolean): EgressRule | undefined {
    return egress.find((r) => tcpPorts(r, port) && (r.to.length === 0 || r.to.some(peer)));
}

const toNamespace = (ns: string) => (to: Record<string, unknown>) => obj(obj(to.namespaceSelector).matchLabels)["kubernetes.io/metadata.name"] === ns;
const toCidr = (test: (cidr: string) => boolean) => (to: Record<string, unknown>) => {
    const cidr = obj(to.ipBlock).cidr;
    return typeof cidr === "string" && cidr !== "0.0.0.0/0" && test(cidr);
};

function parseUrl(value: string | undefined): URL | undefined {
    if (!value) {
        return undefined;
    }
    try {
        return new URL(value);
    } catch {
        return undefined;
    }
}

/** `<svc>.<ns>.svc.cluster.local` → [svc, ns]. */
function clusterDns(host: string): [string, string] | undefined {
    const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?$/.exec(host);
    return m ? [m[1], m[2]] : undefined;
}

/** Resolvers and the index they share, built once per stack. */
export class GraphModel {
    readonly index: ResourceIndex;
    private readonly byUrn: Map<string, PolicyResource>;

    constructor(resources: readonly PolicyResource[]) {
        this.index = new ResourceIndex(resources);
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    }

    /** Resources an input depends on (CrossGuard's propertyDependencies). */
    deps(r: PolicyResource, key: string): PolicyResource[] {
        return (r.propertyDependencies?.[key] ?? []).map((d) => this.byUrn.get(d.urn) ?? d);
    }

    inCluster(type: string, cluster: string, ns?: string): PolicyResource[] {
        return this.index.of(type).filter((r) => clusterOf(r) === cluster && (ns === undefined || namespaceOf(r) === ns));
    }

    inRegion(type: string, region: string): PolicyResource[] {
        return this.index.of(type).filter((r) => regionOf(r) === region);
    }

    /** A Kubernetes Service `svc` in `ns`: registered directly, or the Service a Helm release of that name installs there. */
    clusterService(cluster: string, svc: string, ns: string): string | undefined {
        const service = this.inCluster("kubernetes:core/v1:Service", cluster, ns).find((s) => k8sNameOf(s) === svc);
        if (service) {
            return `Service ${ns}/${svc}`;
        }
        const release = this.index
            .of("kubernetes:helm.sh/v3:Release")
            .find((r) => clusterOf(r) === cluster && r.props.namespace === ns && (r.props.name === svc || obj(r.props.values).fullnameOverride === svc));
        return release ? `Service ${ns}/${svc} (Helm release ${String(release.props.name)})` : undefined;
    }

    /** The EKS services of the card running in the stack, one caller per cluster. */
    eksCallers(cards: readonly K8sServiceCard[]): EksCaller[] {
        const callers: EksCaller[] = [];
        for (const card of cards) {
            for (const ns of this.index.of("kubernetes:core/v1:Namespace").filter((n) => k8sNameOf(n) === card.namespace && obj(obj(n.props.metadata).labels)["app.kubernetes.io/name"] === card.service)) {
                const cluster = clusterOf(ns);
                const region = clusterRegion(this.index, cluster) ?? "unknown-region";
                const config: Record<string, string> = {};
                for (const cm of this.inCluster("kubernetes:core/v1:ConfigMap", cluster, card.namespace)) {
                    for (const [k, v] of Object.entries(obj(cm.props.data))) {
                        config[k] = String(v);
                    }
                }
                const secrets: Record<string, string> = {};
                for (const es of this.inCluster("kubernetes:external-secrets.io/v1:ExternalSecret", cluster, card.namespace)) {
                    for (const d of arr(obj(es.props.spec).data).map(obj)) {
                        const name = obj(d.remoteRef).key;
                        const value = typeof name === "string" ? this.awsSecretString(name, region) : undefined;
                        if (typeof d.secretKey === "string" && value !== undefined) {
                            secrets[d.secretKey] = value;
                        }
                    }
                }
                const egress: EgressRule[] = this.inCluster("kubernetes:networking.k8s.io/v1:NetworkPolicy", cluster, card.namespace).flatMap((p) =>
                    arr(obj(p.props.spec).egress)
                        .map(obj)
                        .map((e) => ({
                            policy: k8sNameOf(p) ?? p.name,
                            to: arr(e.to).map(obj),
                            ports: arr(e.ports)
                                .map(obj)
                                .map((x) => ({ protocol: String(x.protocol ?? "TCP"), port: typeof x.port === "number" ? x.port : undefined, endPort: typeof x.endPort === "number" ? x.endPort : undefined })),
                        })),
                );
                callers.push({ card, cluster, region, namespace: ns, config, secrets, egress });
            }
        }
        return callers;
    }

    private awsSecretString(name: string, region: string): string | undefined {
        const secret = this.index.of("aws:secretsmanager/secret:Secret").find((s) => s.props.name === name && (regionOf(s) === undefined || regionOf(s) === region));
        if (!secret) {
            return undefined;
        }
        const versions = this.index.of("aws:secretsmanager/secretVersion:SecretVersion");
        // The secret's own version first: every region has a secret of the same name.
        const version =
            versions.find((v) => this.deps(v, "secretId").some((d) => d.urn === secret.urn)) ??
            versions.find((v) => awsSecretIdMatches(v.props.secretId, name) && (regionOf(v) === undefined || regionOf(v) === region));
        const value = version?.props.secretString;
        return typeof value === "string" ? value : undefined;
    }

    /** Security groups a resource attaches (by its input), and whether any admits `port` from the cluster. */
    sgAdmits(target: PolicyResource, key: string, port: number, region: string): { readonly sg?: string; readonly problem?: string } {
        const groups = this.deps(target, key).filter((d) => d.type === "aws:ec2/securityGroup:SecurityGroup");
        if (groups.length === 0) {
            return { problem: `${target.name} attaches no security group the program creates` };
        }
        const eks = this.inRegion("aws:eks/cluster:Cluster", region);
        const vpcCidrs = this.inRegion("aws:ec2/vpc:Vpc", region).map((v) => String(v.props.cidrBlock));
        for (const sg of groups) {
            const fromCluster = (deps: PolicyResource[]) => deps.some((d) => eks.some((e) => e.urn === d.urn));
            const inline = arr(sg.props.ingress)
                .map(obj)
                .some(
                    (rule) =>
                        String(rule.protocol) === "tcp" &&
                        Number(rule.fromPort) <= port &&
                        port <= Number(rule.toPort) &&
                        ((arr(rule.securityGroups).length > 0 && fromCluster(this.deps(sg, "ingress"))) || arr(rule.cidrBlocks).some((c) => vpcCidrs.some((v) => cidrContains(String(c), v)))),
                );
            const separate = this.inRegion("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", region).some(
                (rule) =>
                    this.deps(rule, "securityGroupId").some((d) => d.urn === sg.urn) &&
                    Number(rule.props.fromPort) <= port &&
                    port <= Number(rule.props.toPort) &&
                    fromCluster(this.deps(rule, "referencedSecurityGroupId")),
            );
            if (inline || separate) {
                return { sg: `sg ${sg.name} (tcp:${port} from the EKS cluster)` };
            }
        }
        return { problem: `no security group of ${target.name} admits tcp:${port} from the EKS cluster` };
    }
}

/** A card dependency, or an edge every service has: telemetry, and feature flags from the in-cluster flagd. */
export type EdgeDependency = Dependency | { readonly kind: "otlp" } | { readonly kind: "flagd" };

export type EksResolver = (m: GraphModel, c: EksCaller, dep: EdgeDependency) => Found;

const admitHop = (rule: EgressRule | undefined, what: string, port: number, problems: string[]): string | undefined => {
    if (!rule) {
        problems.push(`no NetworkPolicy egress in the caller's namespace admits tcp:${port} to ${what}`);
        return undefined;
    }
    return `netpol ${rule.policy} (egress tcp:${port})`;
};

const vpcCidrOf = (m: GraphModel, region: string): string | undefined => m.inRegion("aws:ec2/vpc:Vpc", region).map((v) => String(v.props.cidrBlock))[0];

/** Postgres: POSTGRES_URL names the service's Aurora writer; TLS verified, IAM authentication; SG admits the cluster. */
const postgres: EksResolver = (m, c) => {
    const problems: string[] = [];
    const url = parseUrl(c.secrets.POSTGRES_URL);
    if (!url) {
        return { path: [], problems: ["POSTGRES_URL has no value the program sets"] };
    }
    const port = Number(url.port || 5432);
    const proxy = m.inRegion("aws:rds/proxy:Proxy", c.region).find((r) => url.hostname.startsWith(`${String(r.props.name)}.proxy-`) && url.hostname.endsWith(".rds.amazonaws.com"));
    if (proxy) {
        return postgresThroughProxy(m, c, url, port, proxy);
    }
    const db = m.inRegion("aws:rds/cluster:Cluster", c.region).find((r) => url.hostname.startsWith(`${String(r.props.clusterIdentifier)}.cluster-`) && url.hostname.endsWith(".rds.amazonaws.com"));
    if (!db) {
        return { path: [], problems: [`POSTGRES_URL host ${url.hostname} is no Aurora cluster of ${c.region}`] };
    }
    if (port !== Number(db.props.port ?? 5432)) {
        problems.push(`POSTGRES_URL port ${port} is not the cluster's ${String(db.props.port)}`);
    }
    if (url.searchParams.get("sslmode") !== "verify-full") {
        problems.push("POSTGRES_URL does not verify TLS (sslmode=verify-full)");
    }
    if (db.props.iamDatabaseAuthenticationEnabled !== true) {
        problems.push(`${db.name} has IAM authentication off, but the URL carries no password`);
    }
    const vpc = vpcCidrOf(m, c.region);
    const np = admitHop(egressAdmits(c.egress, port, toCidr((cidr) => vpc !== undefined && cidrContains(cidr, vpc))), "the VPC", port, problems);
    const sg = m.sgAdmits(db, "vpcSecurityGroupIds", port, c.region);
    if (sg.problem) {
        problems.push(sg.problem);
    }
    return { path: ["POSTGRES_URL", np ?? "?", sg.sg ?? "?", `aurora ${String(db.props.clusterIdentifier)} (IAM auth, TLS)`], problems };
};

/**
 * Postgres through the service's RDS Proxy (components/aws/pooler.ts): TLS required and end-to-end IAM
 * authentication at the proxy, its security group admits the cluster, and its target is an Aurora
 * cluster with IAM authentication whose security group admits the proxy's.
 */
function postgresThroughProxy(m: GraphModel, c: EksCaller, url: URL, port: number, proxy: PolicyResource): Found {
    const problems: string[] = [];
    if (port !== 5432) {
        problems.push(`POSTGRES_URL port ${port} is not the proxy's 5432`);
    }
    if (url.searchParams.get("sslmode") !== "verify-full") {
        problems.push("POSTGRES_URL does not verify TLS (sslmode=verify-full)");
    }
    if (proxy.props.requireTls !== true) {
        problems.push(`${proxy.name} does not require TLS`);
    }
    if (proxy.props.defaultAuthScheme !== "IAM_AUTH") {
        problems.push(`${proxy.name} does not authenticate with IAM end to end, but the URL carries no password`);
    }
    const vpc = vpcCidrOf(m, c.region);
    const np = admitHop(egressAdmits(c.egress, port, toCidr((cidr) => vpc !== undefined && cidrContains(cidr, vpc))), "the VPC", port, problems);
    const sg = m.sgAdmits(proxy, "vpcSecurityGroupIds", port, c.region);
    if (sg.problem) {
        problems.push(sg.problem);
    }
    const target = m.inRegion("aws:rds/proxyTarget:ProxyTarget", c.region).find((t) => m.deps(t, "dbProxyName").some((d) => d.urn === proxy.urn));
    const db = target ? m.deps(target, "dbClusterIdentifier").find((d) => d.type === "aws:rds/cluster:Cluster") : undefined;
    if (!db) {
        problems.push(`${proxy.name} has no Aurora cluster as its target`);
    } else {
        if (db.props.iamDatabaseAuthenticationEnabled !== true) {
            problems.push(`${db.name} has IAM authentication off: the proxy cannot log in`);
        }
        const proxyGroups = m.deps(proxy, "vpcSecurityGroupIds").map((g) => g.urn);
        const admitted = m
            .deps(db, "vpcSecurityGroupIds")
            .filter((g) => g.type === "aws:ec2/securityGroup:SecurityGroup")
            .some((g) => m.deps(g, "ingress").some((d) => proxyGroups.includes(d.urn)));
        if (!admitted) {
            problems.push(`no security group of ${db.name} admits the proxy's`);
        }
    }
    return {
        path: ["POSTGRES_URL", np ?? "?", sg.sg ?? "?", `rds-proxy ${String(proxy.props.name)} (IAM auth, TLS required)`, db ? `aurora ${String(db.props.clusterIdentifier)} (IAM auth, TLS)` : "?"],
        problems,
    };
}

/** Redis: REDIS_URL (rediss://) names the region's ElastiCache group, in-transit encryption on; SG admits the cluster. */
const redis: EksResolver = (m, c) => {
    const problems: string[] = [];
    const url = parseUrl(c.secrets.REDIS_URL);
    if (!url) {
        return { path: [], problems: ["REDIS_URL has no value the program sets"] };
    }
    const port = Number(url.port || 6379);
    const rg = m
        .inRegion("aws:elasticache/replicationGroup:ReplicationGroup", c.region)
        .find((r) => new RegExp(`^(clustercfg|master)\\.${String(r.props.replicationGroupId).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.`).test(url.hostname) && url.hostname.endsWith(".cache.amazonaws.com"));
    if (!rg) {
        return { path: [], problems: [`REDIS_URL host ${url.hostname} is no ElastiCache group of ${c.region}`] };
    }
    if (url.protocol !== "rediss:" || rg.props.transitEncryptionEnabled !== true) {
        problems.push("Redis without TLS on both ends (rediss:// and transitEncryptionEnabled)");
    }
    const vpc = vpcCidrOf(m, c.region);
    const np = admitHop(egressAdmits(c.egress, port, toCidr((cidr) => vpc !== undefined && cidrContains(cidr, vpc))), "the VPC", port, problems);
    const sg = m.sgAdmits(rg, "securityGroupIds", port, c.region);
    if (sg.problem) {
        problems.push(sg.problem);
    }
    return { path: ["REDIS_URL", np ?? "?", sg.sg ?? "?", `elasticache ${String(rg.props.replicationGroupId)} (TLS)`], problems };
};

/** An in-cluster endpoint the service is given as a URL (NATS, the OTLP collector). */
function inClusterUrl(key: string, label: string): EksResolver {
    return (m, c) => {
        const url = parseUrl(c.secrets[key] ?? c.config[key]);
        const dns = url && clusterDns(url.hostname);
        if (!url || !dns) {
            return { path: [], problems: [`${key} is not an in-cluster URL the program sets`] };
        }
        const problems: string[] = [];
        const port = Number(url.port);
        const [svc, ns] = dns;
        const target = m.clusterService(c.cluster, svc, ns);
        if (!target) {
            problems.push(`${url.hostname} resolves to no Service the program creates in ${ns}`);
        }
        const np = admitHop(egressAdmits(c.egress, port, toNamespace(ns)), `namespace ${ns}`, port, problems);
        return { path: [key, np ?? "?", `${target ?? `${ns}/${svc}`} :${port} (${label})`], problems };
    };
}

/** S3 through the VPC gateway endpoint: the bucket the ConfigMap names, the endpoint on the route tables, egress to S3's ranges on 443. */
const objectStorage: EksResolver = (m, c) => {
    const problems: string[] = [];
    const keys = Object.keys(c.config).filter((k) => k.startsWith("S3_BUCKET_"));
    const buckets = m.inRegion("aws:s3/bucket:Bucket", c.region);
    const named = keys.map((k) => ({ key: k, bucket: buckets.find((b) => b.props.bucket === c.config[k]) }));
    if (named.length === 0) {
        problems.push("no S3_BUCKET_* entry in the service's ConfigMap");
    }
    for (const n of named.filter((x) => !x.bucket)) {
        problems.push(`${n.key}=${c.config[n.key]} is no bucket the program creates in ${c.region}`);
    }
    const endpoint = m
        .inRegion("aws:ec2/vpcEndpoint:VpcEndpoint", c.region)
        .find((e) => e.props.vpcEndpointType === "Gateway" && e.props.serviceName === `com.amazonaws.${c.region}.s3` && arr(e.props.routeTableIds).length > 0);
    if (!endpoint) {
        problems.push(`no S3 gateway endpoint on the private route tables of ${c.region} (pods have no internet egress)`);
    }
    const vpc = vpcCidrOf(m, c.region);
    // S3's ranges are outside the VPC: the rule must name an ipBlock that is not the VPC and not 0.0.0.0/0.
    const np = admitHop(egressAdmits(c.egress, 443, toCidr((cidr) => vpc === undefined || !cidrContains(vpc, cidr))), "S3's address ranges", 443, problems);
    return { path: [named.map((n) => n.key).join(",") || "S3_BUCKET_*", np ?? "?", endpoint ? `gateway endpoint ${endpoint.name}` : "?", ...named.filter((n) => n.bucket).map((n) => `s3 ${String(n.bucket?.props.bucket)} (HTTPS)`)], problems };
};

/** A peer in the mesh: in-program (its Service and ingress policy) or another team's (egress admitted, resolves once deployed). */
const peer: EksResolver = (m, c, dep) => {
    if (dep.kind !== "service") {
        return { path: [], problems: ["not a service dependency"] };
    }
    const problems: string[] = [];
    const np = admitHop(egressAdmits(c.egress, dep.port, toNamespace(dep.namespace)), `namespace ${dep.namespace}`, dep.port, problems);
    const services = m.inCluster("kubernetes:core/v1:Service", c.cluster, dep.namespace).filter((s) => arr(obj(s.props.spec).ports).some((p) => obj(p).port === dep.port));
    const peerNs = m.inCluster("kubernetes:core/v1:Namespace", c.cluster).find((n) => k8sNameOf(n) === dep.namespace);
    if (services.length === 0 && !peerNs) {
        return {
            path: [np ?? "?", `${dep.name}.${dep.namespace}:${dep.port} (another team's)`],
            problems,
            outside: `${dep.name} is not provisioned by this program: the caller's NetworkPolicy admits namespace ${dep.namespace} on tcp:${dep.port}, and ${dep.name}.${dep.namespace}.svc.cluster.local resolves once its team deploys it`,
        };
    }
    if (services.length === 0) {
        problems.push(`no Service in ${dep.namespace} publishes port ${dep.port}`);
    }
    const ingress = m
        .inCluster("kubernetes:networking.k8s.io/v1:NetworkPolicy", c.cluster, dep.namespace)
        .some((p) => arr(obj(p.props.spec).ingress).some((i) => arr(obj(i).from).map(obj).some(toNamespace(c.card.namespace))));
    if (!ingress) {
        problems.push(`no NetworkPolicy in ${dep.namespace} admits ingress from ${c.card.namespace}`);
    }
    return { path: [np ?? "?", `Service ${dep.namespace}/${services[0] ? k8sNameOf(services[0]) : dep.name}:${dep.port}`], problems };
};

/**
 * Across the clouds (contract of the cross-cloud path): the caller's ConfigMap holds `configKey` =
 * http://<host>; a private Route 53 zone (with VPCs) for <host> or a parent holds an A record for
 * it; in the caller's region ≥ 2 dynamic (BGP) VPN connections and a route propagation; in the
 * stack ≥ 4 GCP VPN tunnels and ≥ 4 Cloud Router peers in a region of the same residency zone; a
 * NetworkPolicy egress to an ipBlock (not 0.0.0.0/0) on the port.
 */
const crossCloud: EksResolver = (m, c, dep) => {
    const spec = dep.kind === "cross-cloud" ? dep : dep.kind === "service" ? { service: dep.name, port: dep.port, configKey: `${dep.name.replace(/-/g, "_").toUpperCase()}_URL` } : undefined;
    if (!spec) {
        return { path: [], problems: ["not a cross-cloud dependency"] };
    }
    const problems: string[] = [];
    const path: string[] = [];
    const url = parseUrl(c.config[spec.configKey]);
    // Issue 15: HTTPS to the internal load balancer, an ID token for the host's audience, minted with the
    // caller's GCP identity (Workload Identity Federation) at Google APIs reached over the same VPN.
    const audienceKey = `${spec.configKey.replace(/_URL$/, "")}_AUDIENCE`;
    if (dep.kind === "cross-cloud") {
        if (url && c.config[audienceKey] !== `https://${url.hostname}`) {
            problems.push(`the ConfigMap of ${c.card.namespace} holds no ${audienceKey}=https://${url.hostname} (the ID-token audience)`);
        }
        const missingIdentity = ["GCP_WORKLOAD_IDENTITY_PROVIDER", "GCP_SERVICE_ACCOUNT"].filter((k) => !c.config[k]);
        if (missingIdentity.length > 0) {
            problems.push(`the ConfigMap of ${c.card.namespace} holds no ${missingIdentity.join(", ")} (the caller's GCP identity)`);
        }
    }
    if (!url || url.protocol !== "https:") {
        problems.push(`the ConfigMap of ${c.card.namespace} holds no ${spec.configKey}=https://<host>`);
    } else {
        path.push(`${spec.configKey}=${url.host}`);
        const host = url.hostname;
        const zones = m.inRegion("aws:route53/zone:Zone", c.region).concat(m.index.of("aws:route53/zone:Zone").filter((z) => regionOf(z) === undefined));
        const zone = zones.find((z) => arr(z.props.vpcs).length > 0 && typeof z.props.name === "string" && (host === z.props.name.replace(/\.$/, "") || host.endsWith(`.${z.props.name.replace(/\.$/, "")}`)));
        if (!zone) {
            problems.push(`no private Route 53 zone (with VPCs) holds ${host}`);
        } else {
            const record = m.index
                .of("aws:route53/record:Record")
                .find((r) => r.props.type === "A" && String(r.props.name).replace(/\.$/, "") === host && (m.deps(r, "zoneId").some((d) => d.urn === zone.urn) || r.props.zoneId === zone.props.name));
            if (!record) {
                problems.push(`no A record for ${host} in private zone ${String(zone.props.name)}`);
            } else {
                path.push(`private zone ${String(zone.props.name)} A ${host}`);
            }
        }
    }
    if (dep.kind === "cross-cloud") {
        const apis = egressAdmits(c.egress, 443, toCidr((cidr) => cidr === privateGoogleApis.cidr));
        const zoneNames = new Set(m.index.of("aws:route53/zone:Zone").filter((z) => arr(z.props.vpcs).length > 0).map((z) => String(z.props.name).replace(/\.$/, "")));
        const unresolved = privateGoogleApis.hosts.filter((h) => !zoneNames.has(h));
        if (!apis || unresolved.length > 0) {
            problems.push(`the caller cannot mint ID tokens: ${apis ? "" : `no egress to ${privateGoogleApis.cidr} on tcp:443; `}${unresolved.length > 0 ? `no private zone for ${unresolved.join(", ")}` : ""}`.replace(/; $/, ""));
        } else {
            path.push(`netpol ${apis.policy} (egress tcp:443 to private.googleapis.com for ID tokens)`);
        }
    }
    const rule = egressAdmits(c.egress, spec.port, toCidr(() => true));
    if (!rule) {
        problems.push(`no NetworkPolicy egress in ${c.card.namespace} admits tcp:${spec.port} to an ipBlock`);
    } else {
        path.push(`netpol ${rule.policy} (egress tcp:${spec.port})`);
    }
    const vpns = m.inRegion("aws:ec2/vpnConnection:VpnConnection", c.region).filter((v) => v.props.staticRoutesOnly !== true);
    const propagation = m.inRegion("aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation", c.region);
    if (vpns.length < 2 || propagation.length === 0) {
        problems.push(`${c.region} has ${vpns.length} BGP VPN connection(s) (needs ≥ 2) and ${propagation.length} route propagation(s) (needs ≥ 1)`);
    } else {
        path.push(`${vpns.length} AWS VPN connections (BGP) in ${c.region}`);
    }
    // The stack's residency (the AWS provider's default `residency` tag), else the caller region's zone;
    // a `global` stack (dev, staging: no real tenant data) may pair any regions.
    const declared = m.index
        .of("pulumi:providers:aws")
        .filter((p) => regionOf(p) === c.region)
        .map((p) => obj(obj(providerProp(p, "defaultTags")).tags).residency)
        .find((z): z is string => typeof z === "string");
    const zoneOfCaller = declared ?? residencyZoneOfRegion("aws", c.region);
    const sameZone = (r: PolicyResource) => {
        const region = regionOf(r);
        return region !== undefined && zoneOfCaller !== undefined && (zoneOfCaller === "global" || residencyZoneOfRegion("gcp", region) === zoneOfCaller);
    };
    const tunnels = m.index.of("gcp:compute/vPNTunnel:VPNTunnel").filter(sameZone);
    const peers = m.index.of("gcp:compute/routerPeer:RouterPeer").filter(sameZone);
    if (tunnels.length < 4 || peers.length < 4) {
        problems.push(`GCP side in residency zone ${zoneOfCaller ?? "?"}: ${tunnels.length} VPN tunnel(s) and ${peers.length} Cloud Router peer(s) (needs ≥ 4 each)`);
    } else {
        path.push(`${tunnels.length} HA VPN tunnels / ${peers.length} BGP peers (GCP ${[...new Set(tunnels.map(regionOf))].join(",")})`);
    }
    // The internal load balancer: an INTERNAL_MANAGED forwarding rule on the port behind an HTTPS proxy with a certificate.
    const https = m.index
        .of("gcp:compute/forwardingRule:ForwardingRule")
        .filter((r) => r.props.loadBalancingScheme === "INTERNAL_MANAGED" && String(r.props.portRange) === String(spec.port) && sameZone(r))
        .map((r) => m.deps(r, "target").find((d) => d.type === "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy"))
        .find((proxy) => proxy !== undefined && arr(proxy.props.certificateManagerCertificates).length + arr(proxy.props.sslCertificates).length > 0);
    if (!https) {
        problems.push(`no internal load balancer in residency zone ${zoneOfCaller ?? "?"} listens with HTTPS and a certificate on tcp:${spec.port}`);
    } else {
        path.push(`internal ALB https:${spec.port} (${String(https.props.name)})`);
    }
    path.push(`${spec.service} (IAM invoker, ID-token audience)`);
    return { path: problems.length === 0 ? path : [], problems };
};

/**
 * Feature flags (seeds/000 §7, issue 15): the ConfigMap names flagd (OPENFEATURE_PROVIDER=flagd,
 * FLAGD_HOST = an in-cluster Service publishing FLAGD_PORT), the caller's egress admits that
 * namespace on the port, and a NetworkPolicy there admits the caller's namespace on it.
 */
const featureFlags: EksResolver = (m, c) => {
    const problems: string[] = [];
    if (c.config.OPENFEATURE_PROVIDER !== "flagd") {
        problems.push(`the ConfigMap of ${c.card.namespace} does not select the flagd provider (OPENFEATURE_PROVIDER=flagd)`);
    }
    const host = c.config.FLAGD_HOST;
    const dns = host ? clusterDns(host) : undefined;
    const port = Number(c.config.FLAGD_PORT ?? flagdService.evaluationPort);
    if (!host || !dns) {
        return { path: [], problems: [...problems, `the ConfigMap of ${c.card.namespace} holds no in-cluster FLAGD_HOST`] };
    }
    const [svc, ns] = dns;
    const service = m.inCluster("kubernetes:core/v1:Service", c.cluster, ns).find((s) => k8sNameOf(s) === svc);
    if (!service) {
        problems.push(`FLAGD_HOST ${host} resolves to no Service the program creates in ${ns}`);
    } else if (!arr(obj(service.props.spec).ports).some((p) => obj(p).port === port)) {
        problems.push(`Service ${ns}/${svc} does not publish FLAGD_PORT ${port}`);
    }
    const np = admitHop(egressAdmits(c.egress, port, toNamespace(ns)), `namespace ${ns}`, port, problems);
    const ingress = m
        .inCluster("kubernetes:networking.k8s.io/v1:NetworkPolicy", c.cluster, ns)
        .find((p) =>
            arr(obj(p.props.spec).ingress)
                .map(obj)
                .some((i) => arr(i.from).map(obj).some(toNamespace(c.card.namespace)) && arr(i.ports).map(obj).some((q) => q.port === port)),
        );
    if (!ingress) {
        problems.push(`no NetworkPolicy in ${ns} admits ingress from ${c.card.namespace} on tcp:${port}`);
    }
    return { path: [`FLAGD_HOST=${host}`, np ?? "?", `netpol ${ingress ? k8sNameOf(ingress) : "?"} (ingress tcp:${port})`, `Service ${ns}/${svc}:${port} (flagd)`], problems };
};

/** Resolvers by dependency kind: a new kind is one entry here (and its protocol below). */
export const eksResolvers: Readonly<Record<EksEdgeKind, EksResolver>> = {
    postgres,
    redis,
    nats: inClusterUrl("NATS_CREDS", "NATS"),
    otlp: inClusterUrl("OTEL_EXPORTER_OTLP_ENDPOINT", "OTLP"),
    "object-storage": objectStorage,
    service: peer,
    "cross-cloud": crossCloud,
    flagd: featureFlags,
};

export type EksEdgeKind = Dependency["kind"] | "otlp" | "flagd";

export const eksProtocols: Readonly<Record<EksEdgeKind, (d: EdgeDependency) => string>> = {
    postgres: () => "postgres/TLS tcp:5432",
    redis: () => "redis/TLS tcp:6379",
    nats: () => "nats tcp:4222",
    otlp: () => "otlp/grpc tcp:4317",
    flagd: () => `grpc tcp:${flagdService.evaluationPort}`,
    "object-storage": () => "https tcp:443",
    service: (d) => `http tcp:${d.kind === "service" ? d.port : 0}`,
    "cross-cloud": (d) => `${d.kind === "cross-cloud" ? d.protocol : "http"} tcp:${d.kind === "cross-cloud" || d.kind === "service" ? d.port : 0}`,
};

function eksTarget(d: EdgeDependency): string {
    switch (d.kind) {
        case "service":
            return `service:${d.name}`;
        case "cross-cloud":
            return `cross-cloud:${d.service}`;
        default:
            return d.kind;
    }
}

/** The EKS edges: the card's dependencies plus telemetry (every service exports OTLP to the collector). */
function eksEdges(m: GraphModel, cards: readonly TopologyCard[]): GraphEdge[] {
    const cloudRunNames = new Set(cards.filter((c) => c.platform === "cloud-run").map((c) => c.service));
    const k8sCards = cards.filter((c): c is K8sServiceCard => c.platform === "eks");
    const edges: GraphEdge[] = [];
    for (const caller of m.eksCallers(k8sCards)) {
        const deps: EdgeDependency[] = [
            ...caller.card.outbound,
            ...(caller.card.secrets.includes("OTEL_EXPORTER_OTLP_ENDPOINT") ? [{ kind: "otlp" as const }] : []),
            // Every EKS service evaluates its feature flags at the in-cluster flagd.
            { kind: "flagd" as const },
        ];
        for (const d of deps) {
            // A "service" peer that is a Cloud Run service of the catalog lives on the other cloud.
            const kind: EksEdgeKind = d.kind === "service" && cloudRunNames.has(d.name) ? "cross-cloud" : d.kind;
            const found = eksResolvers[kind](m, caller, d);
            edges.push({
                from: `${caller.card.service}@${caller.region}`,
                to: d.kind === "service" && kind === "cross-cloud" ? `cross-cloud:${d.name}` : eksTarget(d),
                protocol: eksProtocols[kind](d),
                path: found.problems.length === 0 ? found.path : [],
                problems: found.problems,
                outside: found.outside,
                urn: caller.namespace.urn,
            });
        }
    }
    return edges;
}

// --- Cloud Run (notification-service) -------------------------------------------------------------

interface RunCaller {
    readonly card: CloudRunServiceCard;
    readonly region: string;
    readonly services: readonly { readonly role: CloudRunServiceCard["roles"][number]; readonly resource: PolicyResource; readonly env: Readonly<Record<string, string>> }[];
}

function envOf(svc: PolicyResource): Record<string, string> {
    const out: Record<string, string> = {};
    for (const c of arr(obj(svc.props.template).containers).map(obj)) {
        for (const e of arr(c.envs).map(obj)) {
            if (typeof e.name === "string" && typeof e.value === "string") {
                out[e.name] = e.value;
            }
        }
    }
    return out;
}

function runCallers(m: GraphModel, cards: readonly CloudRunServiceCard[]): RunCaller[] {
    const out: RunCaller[] = [];
    for (const card of cards) {
        const unit = card.service.replace(/-service$/, "");
        const byRegion = new Map<string, RunCaller["services"][number][]>();
        for (const svc of m.index.of("gcp:cloudrunv2/service:Service")) {
            const role = card.roles.find((r) => svc.props.name === `${unit}-${r.name}`);
            const region = regionOf(svc);
            if (role && region) {
                byRegion.set(region, [...(byRegion.get(region) ?? []), { role, resource: svc, env: envOf(svc) }]);
            }
        }
        for (const [region, services] of byRegion) {
            out.push({ card, region, services });
        }
    }
    return out;
}

type RunResolver = (m: GraphModel, c: RunCaller) => Found;

/** The connector a revision's egress goes through (`template.vpcAccess.connector`), in its region. */
function connectorOf(m: GraphModel, svc: PolicyResource, region: string): PolicyResource | undefined {
    const ref = String(obj(obj(svc.props.template).vpcAccess).connector ?? "");
    return m.inRegion("gcp:vpcaccess/connector:Connector", region).find((c) => ref.endsWith(`/connectors/${String(c.props.name)}`) || m.deps(svc, "template").some((d) => d.urn === c.urn));
}

const allTraffic = (svc: PolicyResource) => obj(obj(svc.props.template).vpcAccess).egress === "ALL_TRAFFIC";

/** A Cloud Run URL: its front end carries HTTP/1, HTTP/2, WebSockets and gRPC only. */
const isCloudRunUrl = (value: string) => /^https?:\/\/[^/]+\.run\.app\/?$/.test(value);

/**
 * Postgres through PgBouncer (contract of the pooler): DATABASE_HOST is the ipAddress of an
 * INTERNAL TCP forwarding rule carrying DATABASE_PORT, backed by an INTERNAL TCP regional backend
 * service; a firewall admits TCP 6432 from the region's connector range; Cloud SQL has a private IP only.
 */
const runPostgres: RunResolver = (m, c) => {
    const problems: string[] = [];
    const clients = c.services.filter((s) => s.role.dbPoolPerInstance > 0);
    const hosts = new Set(clients.map((s) => s.env.DATABASE_HOST));
    const ports = new Set(clients.map((s) => s.env.DATABASE_PORT));
    if (hosts.size !== 1 || ports.size !== 1) {
        return { path: [], problems: [`the database clients of ${c.region} disagree on DATABASE_HOST/DATABASE_PORT (${[...hosts].join(", ")} / ${[...ports].join(", ")})`] };
    }
    const host = [...hosts][0] ?? "";
    const port = Number([...ports][0]);
    if (isCloudRunUrl(host) || m.index.of("gcp:cloudrunv2/service:Service").some((s) => host.includes(String(s.props.name)) && host.includes(".run.app"))) {
        return { path: [], problems: [`DATABASE_HOST ${host} is a Cloud Run URL: its front end carries HTTP/1, HTTP/2, WebSockets and gRPC only, never the Postgres wire protocol`] };
    }
    if (!Number.isInteger(port) || port <= 0) {
        problems.push("DATABASE_PORT is not set");
    }
    const rule = m
        .inRegion("gcp:compute/forwardingRule:ForwardingRule", c.region)
        .find((f) => f.props.ipAddress === host && f.props.loadBalancingScheme === "INTERNAL" && f.props.ipProtocol === "TCP" && arr(f.props.ports).map(String).includes(String(port)));
    if (!rule) {
        return { path: [], problems: [...problems, `DATABASE_HOST ${host}:${port} is no INTERNAL TCP forwarding rule of ${c.region}`] };
    }
    const backend = m.deps(rule, "backendService").find((b) => b.type === "gcp:compute/regionBackendService:RegionBackendService") ??
        m.inRegion("gcp:compute/regionBackendService:RegionBackendService", c.region).find((b) => String(rule.props.backendService).endsWith(`/${String(b.props.name)}`));
    if (!backend || backend.props.loadBalancingScheme !== "INTERNAL" || backend.props.protocol !== "TCP") {
        problems.push(`forwarding rule ${rule.name} has no INTERNAL TCP regional backend service`);
    }
    const connector = clients.map((s) => connectorOf(m, s.resource, c.region)).find((x) => x !== undefined);
    const range = connector ? String(connector.props.ipCidrRange) : undefined;
    const fw = m.index.of("gcp:compute/firewall:Firewall").find(
        (f) =>
            (f.props.direction ?? "INGRESS") === "INGRESS" &&
            f.props.disabled !== true &&
            arr(f.props.sourceRanges).some((r) => range !== undefined && cidrContains(String(r), range)) &&
            arr(f.props.allows).map(obj).some((a) => a.protocol === "tcp" && arr(a.ports).some((p) => portIn(String(p), port))),
    );
    if (!fw) {
        problems.push(`no firewall rule admits tcp:${port} from the connector range ${range ?? "?"}`);
    }
    const sql = m.inRegion("gcp:sql/databaseInstance:DatabaseInstance", c.region).find((d) => obj(obj(d.props.settings).ipConfiguration).ipv4Enabled === false && obj(obj(d.props.settings).ipConfiguration).privateNetwork !== undefined && d.props.masterInstanceName === undefined);
    if (!sql) {
        problems.push(`no Cloud SQL primary in ${c.region} with a private IP only`);
    }
    return {
        path: ["DATABASE_HOST", `connector ${String(connector?.props.name ?? "?")}`, `firewall ${fw?.name ?? "?"} (tcp:${port})`, `ilb ${rule.name}`, `pgbouncer ${backend?.name ?? "?"}`, `cloud sql ${String(sql?.props.name ?? "?")} (private IP)`],
        problems,
    };
};

function portIn(spec: string, port: number): boolean {
    const [a, b] = spec.split("-").map(Number);
    return b === undefined ? a === port : a <= port && port <= b;
}

/** Memorystore: REDIS_HOST with REDIS_TLS through the connector into the VPC (private service access), TLS on the instance. */
const runRedis: RunResolver = (m, c) => {
    const problems: string[] = [];
    const clients = c.services.filter((s) => s.env.REDIS_HOST !== undefined);
    if (clients.length === 0) {
        return { path: [], problems: ["no revision is given REDIS_HOST"] };
    }
    const instance = m.inRegion("gcp:redis/instance:Instance", c.region).find((r) => clients.every((s) => m.deps(s.resource, "template").some((d) => d.urn === r.urn)));
    if (!instance) {
        return { path: [], problems: [`REDIS_HOST of ${c.region} resolves to no Memorystore instance of the region`] };
    }
    const tls = instance.props.transitEncryptionMode === "SERVER_AUTHENTICATION";
    if (!tls || clients.some((s) => s.env.REDIS_TLS !== "true")) {
        problems.push("Memorystore without TLS on both ends (SERVER_AUTHENTICATION and REDIS_TLS=true)");
    }
    const connector = connectorOf(m, clients[0].resource, c.region);
    if (!connector) {
        problems.push("the revisions have no VPC connector in the region");
    }
    const network = String(instance.props.authorizedNetwork ?? "");
    if (connector && !network.endsWith(`/networks/${String(connector.props.network)}`)) {
        problems.push(`the connector's network ${String(connector.props.network)} is not the instance's ${network}`);
    }
    return { path: ["REDIS_HOST", `connector ${String(connector?.props.name ?? "?")}`, `memorystore ${String(instance.props.name)} (${tls ? "TLS tcp:6378" : "tcp:6379"})`], problems };
};

/** Egress to the internet (vendors) and Google APIs: connector (all traffic) → Cloud NAT with reserved IPs. */
function natPath(m: GraphModel, c: RunCaller, clients: RunCaller["services"], what: string): Found {
    const problems: string[] = [];
    if (clients.length === 0) {
        return { path: [], problems: [`no revision needs ${what}`] };
    }
    const connector = connectorOf(m, clients[0].resource, c.region);
    if (!connector || clients.some((s) => !allTraffic(s.resource))) {
        problems.push("revisions must send all traffic through the VPC connector");
    }
    const nat = m.inRegion("gcp:compute/routerNat:RouterNat", c.region).find((n) => n.props.sourceSubnetworkIpRangesToNat === "ALL_SUBNETWORKS_ALL_IP_RANGES" || arr(n.props.subnetworks).length > 0);
    if (!nat) {
        problems.push(`no Cloud NAT in ${c.region} translates the connector's range`);
    }
    const ips = arr(nat?.props.natIps).length;
    if (nat && (nat.props.natIpAllocateOption !== "MANUAL_ONLY" || ips === 0)) {
        problems.push(`Cloud NAT ${String(nat.props.name)} has no reserved IPs (vendors allow-list them)`);
    }
    const denied = m.index
        .of("gcp:compute/firewall:Firewall")
        .some((f) => f.props.direction === "EGRESS" && arr(f.props.denies).length > 0 && arr(f.props.destinationRanges).includes("0.0.0.0/0") && !m.index.of("gcp:compute/firewall:Firewall").some((a) => a.props.direction === "EGRESS" && arr(a.props.allows).map(obj).some((x) => x.protocol === "tcp" && arr(x.ports).some((p) => portIn(String(p), 443)))));
    if (denied) {
        problems.push("an egress firewall denies 0.0.0.0/0 with no allow for tcp:443");
    }
    return { path: [`connector ${String(connector?.props.name ?? "?")} (all traffic)`, `cloud nat ${String(nat?.props.name ?? "?")} (${ips} reserved IP(s))`, what], problems };
}

const runVendors: RunResolver = (m, c) => natPath(m, c, c.services.filter((s) => s.role.vendorEgress), "vendor APIs (HTTPS tcp:443)");

const runGoogleApis: RunResolver = (m, c) => {
    const found = natPath(m, c, c.services, "pubsub / secretmanager .googleapis.com (HTTPS tcp:443)");
    const enabled = new Set(m.index.of("gcp:projects/service:Service").map((s) => s.props.service));
    const missing = ["pubsub.googleapis.com", "secretmanager.googleapis.com"].filter((api) => !enabled.has(api));
    return { path: found.path, problems: [...found.problems, ...missing.map((api) => `${api} is not enabled in the project`)] };
};

export const runResolvers: readonly { readonly to: string; readonly protocol: string; readonly applies: (card: CloudRunServiceCard) => boolean; readonly resolve: RunResolver }[] = [
    { to: "postgres (pgbouncer)", protocol: "postgres tcp:6432", applies: (card) => card.roles.some((r) => r.dbPoolPerInstance > 0), resolve: runPostgres },
    { to: "redis", protocol: "redis/TLS tcp:6378", applies: (card) => card.secretPurposes.some((p) => p.source === "provider"), resolve: runRedis },
    { to: "google-apis", protocol: "https tcp:443", applies: (card) => card.topics.length > 0 || card.secretPurposes.length > 0, resolve: runGoogleApis },
    { to: "vendors", protocol: "https tcp:443", applies: (card) => card.roles.some((r) => r.vendorEgress), resolve: runVendors },
];

function runEdges(m: GraphModel, cards: readonly TopologyCard[]): GraphEdge[] {
    const edges: GraphEdge[] = [];
    for (const caller of runCallers(m, cards.filter((c): c is CloudRunServiceCard => c.platform === "cloud-run"))) {
        for (const r of runResolvers.filter((x) => x.applies(caller.card))) {
            const found = r.resolve(m, caller);
            edges.push({
                from: `${caller.card.service}@${caller.region}`,
                to: r.to,
                protocol: r.protocol,
                path: found.problems.length === 0 ? found.path : [],
                problems: found.problems,
                // Findings point at the API's service (every region has one), not at an arbitrary role.
                urn: (caller.services.find((s) => s.role.ingress === "load-balancer") ?? caller.services[0])?.resource.urn,
            });
        }
    }
    return edges;
}

/** Every edge of the stack's service graph with its path (or why there is none). */
export function serviceGraph(resources: readonly PolicyResource[], cards: readonly TopologyCard[] = activeCatalog()): GraphEdge[] {
    const m = new GraphModel(resources);
    return [...eksEdges(m, cards), ...runEdges(m, cards)];
}

/**
 * The plan's "Service graph" section: one line per service and dependency, the regions where the
 * same holds folded together (the path shown is the first region's).
 */
export function renderGraph(edges: readonly GraphEdge[]): string[] {
    const missing = edges.filter((e) => e.problems.length > 0).length;
    const groups = new Map<string, { regions: string[]; edge: GraphEdge }>();
    for (const e of edges) {
        const [service, region] = e.from.split("@");
        const key = [service, e.to, e.protocol, e.problems[0] ?? "", e.outside ? "outside" : ""].join("|");
        const g = groups.get(key);
        if (g) {
            g.regions.push(region);
        } else {
            groups.set(key, { regions: [region], edge: e });
        }
    }
    const lines = [`Service graph (${edges.length} edges, ${missing} without a path):`];
    for (const { regions, edge: e } of groups.values()) {
        const how = e.problems.length > 0 ? `NO PATH: ${e.problems.join("; ")}` : e.path.join(" → ");
        lines.push(`    ${e.from.split("@")[0]} → ${e.to}  [${e.protocol}]  @${regions.join(",")}: ${how}${e.outside ? "  (outside program)" : ""}`);
    }
    return lines;
}
