import { CrossCloudEndpoint } from "../contracts";
import { ResidencyZone, awsRegionsByZone, gcpRegionsByZone, regionsAllowed, zoneOfRegion } from "../../data/regions";
import { asnBase, awsReservedInsideCidrs, insideThirdOctetBase, privateAsnRange } from "../../data/profiles/interconnect";

/**
 * The cross-cloud path as data, before any resource: which AWS region pairs with which GCP region,
 * the BGP ASNs, the four tunnels' inside /30s, what each Cloud Router advertises, and where each
 * cross-cloud dependency's clients go (URL, address ranges, port). Pure; every rule is unit-tested
 * (tests/interconnect/plan.test.ts) and runs before the program creates a resource.
 */

/** One of the four tunnels between an AWS region's virtual private gateway and the paired HA VPN gateway. */
export interface TunnelPlan {
    /** 0..3, also the external VPN gateway interface (AWS outside IP) it reaches. */
    readonly index: number;
    /** The AWS VPN connection (0: customer gateway on HA interface 0, 1: on HA interface 1). */
    readonly connection: 0 | 1;
    /** The tunnel of that AWS connection (AWS numbers them 1 and 2). */
    readonly awsTunnel: 1 | 2;
    /** The HA VPN gateway interface the tunnel leaves from. */
    readonly haInterface: 0 | 1;
    /** The /30 of the tunnel (169.254.0.0/16). */
    readonly insideCidr: string;
    /** The AWS (virtual private gateway) side: the /30's first host. */
    readonly awsInsideIp: string;
    /** The GCP (Cloud Router) side: the /30's second host. */
    readonly gcpInsideIp: string;
}

/** One AWS region of the stack paired with one GCP region (same residency zone). */
export interface VpnPairPlan {
    readonly awsRegion: string;
    readonly vpcCidr: string;
    /** amazonSideAsn of the region's virtual private gateway. */
    readonly awsAsn: number;
    readonly gcpRegion: string;
    /** ASN of the paired GCP region's Cloud Router. */
    readonly gcpAsn: number;
    readonly tunnels: readonly TunnelPlan[];
}

/** The GCP side shared by the AWS regions paired with one GCP region: HA VPN gateway + Cloud Router. */
export interface GcpHubPlan {
    readonly region: string;
    readonly asn: number;
    /**
     * What the Cloud Router advertises to AWS (custom mode): the active regions' subnets, where the
     * internal ALBs listen, and `private.googleapis.com`'s /30 (the callers mint ID tokens there).
     */
    readonly advertisedRanges: readonly string[];
}

export interface InterconnectPlan {
    readonly pairs: readonly VpnPairPlan[];
    readonly hubs: readonly GcpHubPlan[];
    /** Per cross-cloud service (e.g. `notification-service`): what its EKS clients are given. */
    readonly endpoints: Readonly<Record<string, CrossCloudEndpoint>>;
}

/** A named address range of the stack, for the overlap rule. */
export interface NamedRange {
    readonly name: string;
    readonly cidr: string;
}

export interface InterconnectInput {
    readonly residency: ResidencyZone;
    readonly domain: string;
    /** The stack's AWS regions with their VPC ranges. */
    readonly aws: readonly { readonly region: string; readonly vpcCidr: string }[];
    /** The stack's GCP regions in config order, with the subnet each one holds. */
    readonly gcp: readonly { readonly region: string; readonly role: "active" | "dr"; readonly subnet: string }[];
    /** Cross-cloud dependencies of the EKS services (`dependency` → the Cloud Run service it names). */
    readonly dependencies: readonly { readonly caller: string; readonly service: string; readonly port: number }[];
    /** Cloud Run services the stack deploys. */
    readonly gcpServices: readonly string[];
    /** Private host of a Cloud Run service's internal load balancer. */
    readonly hostOf: (service: string, domain: string) => string;
    /** Google APIs reached over the VPN (private.googleapis.com): hosts and the range advertised for them. */
    readonly googleApis: { readonly hosts: readonly string[]; readonly cidr: string };
}

// ---- IPv4 arithmetic ---------------------------------------------------------------------------

const cidrPattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** First and last address of a CIDR as unsigned integers; undefined if malformed. */
export function cidrRange(cidr: string): { first: number; last: number; prefix: number; aligned: boolean } | undefined {
    const m = cidrPattern.exec(cidr);
    if (!m) {
        return undefined;
    }
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) {
        return undefined;
    }
    const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
    const size = 2 ** (32 - prefix);
    const first = Math.floor(ip / size) * size;
    return { first, last: first + size - 1, prefix, aligned: first === ip };
}

export function overlaps(a: string, b: string): boolean {
    const ra = cidrRange(a);
    const rb = cidrRange(b);
    return !!ra && !!rb && ra.first <= rb.last && rb.first <= ra.last;
}

function ipAt(n: number): string {
    return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

// ---- allocation --------------------------------------------------------------------------------

const awsIndex = (region: string) => Object.values(awsRegionsByZone).flat().indexOf(region);
const gcpIndex = (region: string) => Object.values(gcpRegionsByZone).flat().indexOf(region);

/** The ASN of an AWS region's virtual private gateway (by its index in the region table). */
export function awsAsnFor(region: string): number | undefined {
    const i = awsIndex(region);
    return i < 0 ? undefined : asnBase.aws + i;
}

/** The ASN of a GCP region's VPN Cloud Router. */
export function gcpAsnFor(region: string): number | undefined {
    const j = gcpIndex(region);
    return j < 0 ? undefined : asnBase.gcp + j;
}

/**
 * The four tunnels of an AWS region, in Google's AWS topology: connection 0 (customer gateway = HA
 * interface 0) carries tunnels 0, 1; connection 1 (HA interface 1) tunnels 2, 3; tunnel k reaches
 * external VPN gateway interface k (AWS IPs A1, A2, B1, B2).
 */
export function tunnelsFor(awsRegion: string): TunnelPlan[] {
    const i = awsIndex(awsRegion);
    if (i < 0) {
        return [];
    }
    return [0, 1, 2, 3].map((k) => {
        const base = cidrRange(`169.254.${insideThirdOctetBase + i}.${4 * k}/30`);
        const first = base?.first ?? 0;
        const connection = k < 2 ? 0 : 1;
        return {
            index: k,
            connection,
            awsTunnel: k % 2 === 0 ? 1 : 2,
            haInterface: connection,
            insideCidr: `${ipAt(first)}/30`,
            awsInsideIp: ipAt(first + 1),
            gcpInsideIp: ipAt(first + 2),
        };
    });
}

/** URL of a cross-cloud HTTPS dependency: port 443 stays implicit. */
export function endpointUrl(host: string, port: number): string {
    return port === 443 ? `https://${host}` : `https://${host}:${port}`;
}

/**
 * The stack's cross-cloud path. Empty (no pairs, no hubs, no endpoints) when no EKS service depends
 * on a Cloud Run service. Each AWS region pairs with the stack's first active GCP region (the one
 * the edge treats as primary); with GCP's global dynamic routing, the other active regions' subnets
 * are advertised by the same Cloud Router.
 */
export function planInterconnect(input: InterconnectInput): InterconnectPlan {
    const targets = [...new Set(input.dependencies.map((d) => d.service))];
    const active = input.gcp.filter((r) => r.role === "active");
    if (targets.length === 0 || active.length === 0 || input.aws.length === 0) {
        return { pairs: [], hubs: [], endpoints: {} };
    }
    const gcpRegion = active[0].region;
    const subnets = active.map((r) => r.subnet);
    const advertisedRanges = [...subnets, input.googleApis.cidr];
    const pairs = input.aws.map((a) => ({
        awsRegion: a.region,
        vpcCidr: a.vpcCidr,
        awsAsn: awsAsnFor(a.region) ?? -1,
        gcpRegion,
        gcpAsn: gcpAsnFor(gcpRegion) ?? -1,
        tunnels: tunnelsFor(a.region),
    }));
    const endpoints: Record<string, CrossCloudEndpoint> = {};
    for (const service of targets) {
        const ports = new Set(input.dependencies.filter((d) => d.service === service).map((d) => d.port));
        const port = [...ports][0];
        const host = input.hostOf(service, input.domain);
        endpoints[service] = { service, host, url: endpointUrl(host, port), port, cidrs: subnets, audience: `https://${host}`, googleApis: input.googleApis };
    }
    return { pairs, hubs: [{ region: gcpRegion, asn: gcpAsnFor(gcpRegion) ?? -1, advertisedRanges }], endpoints };
}

// ---- rules -------------------------------------------------------------------------------------

const linkLocal = "169.254.0.0/16";

/** Every tunnel inside range: a /30 of 169.254.0.0/16, not one AWS reserves, none shared or overlapping. */
export function insideCidrProblems(tunnels: readonly NamedRange[]): string[] {
    const problems: string[] = [];
    tunnels.forEach((t, i) => {
        const r = cidrRange(t.cidr);
        if (!r || r.prefix !== 30 || !r.aligned) {
            problems.push(`${t.name}: inside range "${t.cidr}" is not an aligned /30`);
            return;
        }
        const ll = cidrRange(linkLocal);
        if (!ll || r.first < ll.first || r.last > ll.last) {
            problems.push(`${t.name}: inside range ${t.cidr} is outside ${linkLocal}`);
        }
        const reserved = awsReservedInsideCidrs.find((c) => overlaps(c, t.cidr));
        if (reserved) {
            problems.push(`${t.name}: inside range ${t.cidr} is reserved by AWS (${reserved})`);
        }
        for (const other of tunnels.slice(0, i)) {
            if (overlaps(other.cidr, t.cidr)) {
                problems.push(`${t.name}: inside range ${t.cidr} overlaps ${other.name} (${other.cidr})`);
            }
        }
    });
    return problems;
}

/** ASNs: private 16-bit, each AWS gateway distinct, never equal to the Cloud Router it peers with. */
export function asnProblems(pairs: readonly Pick<VpnPairPlan, "awsRegion" | "awsAsn" | "gcpRegion" | "gcpAsn">[]): string[] {
    const problems: string[] = [];
    const inRange = (asn: number) => Number.isInteger(asn) && asn >= privateAsnRange.min && asn <= privateAsnRange.max;
    const seen = new Map<number, string>();
    for (const p of pairs) {
        if (!inRange(p.awsAsn)) {
            problems.push(`aws ${p.awsRegion}: ASN ${p.awsAsn} outside the private range ${privateAsnRange.min}–${privateAsnRange.max}`);
        }
        if (!inRange(p.gcpAsn)) {
            problems.push(`gcp ${p.gcpRegion}: Cloud Router ASN ${p.gcpAsn} outside the private range ${privateAsnRange.min}–${privateAsnRange.max}`);
        }
        if (p.awsAsn === p.gcpAsn) {
            problems.push(`aws ${p.awsRegion} and gcp ${p.gcpRegion} share ASN ${p.awsAsn}: eBGP needs distinct ASNs`);
        }
        const other = seen.get(p.awsAsn);
        if (other !== undefined && other !== p.awsRegion) {
            problems.push(`aws ${other} and ${p.awsRegion} share ASN ${p.awsAsn}`);
        }
        seen.set(p.awsAsn, p.awsRegion);
    }
    const gcpAsns = new Set(pairs.map((p) => p.gcpAsn));
    for (const p of pairs) {
        if (gcpAsns.has(p.awsAsn) && p.awsAsn !== p.gcpAsn) {
            problems.push(`aws ${p.awsRegion}: ASN ${p.awsAsn} is also a Cloud Router's ASN`);
        }
    }
    return problems;
}

/** No AWS VPC range overlaps another AWS VPC range or any GCP range of the stack (they are routed to each other). */
export function overlapProblems(aws: readonly NamedRange[], gcp: readonly NamedRange[]): string[] {
    const problems: string[] = [];
    aws.forEach((a, i) => {
        if (!cidrRange(a.cidr)) {
            problems.push(`${a.name}: "${a.cidr}" is not a CIDR`);
            return;
        }
        for (const other of aws.slice(0, i)) {
            if (overlaps(a.cidr, other.cidr)) {
                problems.push(`${a.name} (${a.cidr}) overlaps ${other.name} (${other.cidr})`);
            }
        }
        for (const g of gcp) {
            if (overlaps(a.cidr, g.cidr)) {
                problems.push(`${a.name} (${a.cidr}) overlaps ${g.name} (${g.cidr})`);
            }
        }
    });
    return problems;
}

/**
 * Residency: both ends of every pair in the stack's zone, and in the same zone as each other (EU
 * traffic never leaves EU regions). A `global` stack (dev, staging: synthetic tenants) may pair
 * regions of different zones.
 */
export function pairingProblems(residency: ResidencyZone, pairs: readonly Pick<VpnPairPlan, "awsRegion" | "gcpRegion">[]): string[] {
    const problems: string[] = [];
    for (const p of pairs) {
        if (!regionsAllowed("aws", residency).includes(p.awsRegion)) {
            problems.push(`aws ${p.awsRegion} is outside residency zone "${residency}"`);
        }
        if (!regionsAllowed("gcp", residency).includes(p.gcpRegion)) {
            problems.push(`gcp ${p.gcpRegion} is outside residency zone "${residency}"`);
        }
        const za = zoneOfRegion("aws", p.awsRegion);
        const zg = zoneOfRegion("gcp", p.gcpRegion);
        if (residency !== "global" && za !== zg) {
            problems.push(`aws ${p.awsRegion} (zone ${za ?? "unknown"}) cannot pair with gcp ${p.gcpRegion} (zone ${zg ?? "unknown"}): the path would leave the zone`);
        }
    }
    return problems;
}

/** Every cross-cloud dependency names a Cloud Run service the stack deploys (otherwise the call has no road). */
export function targetProblems(input: Pick<InterconnectInput, "dependencies" | "gcpServices" | "gcp">): string[] {
    const problems: string[] = [];
    for (const d of input.dependencies) {
        if (!input.gcpServices.includes(d.service)) {
            problems.push(`${d.caller} depends on ${d.service} on GCP, which this stack does not deploy`);
        }
    }
    if (input.dependencies.length > 0 && !input.gcp.some((r) => r.role === "active")) {
        problems.push("cross-cloud dependencies need an active GCP region to pair with");
    }
    const ports = new Map<string, Set<number>>();
    for (const d of input.dependencies) {
        ports.set(d.service, (ports.get(d.service) ?? new Set()).add(d.port));
    }
    for (const [service, set] of ports) {
        if (set.size > 1) {
            problems.push(`${service}: callers disagree on its port (${[...set].join(", ")}); its internal load balancer listens on one`);
        }
    }
    return problems;
}

/** All rules over a plan and the stack's ranges; empty when the path can be built. */
export function validateInterconnect(input: InterconnectInput, plan: InterconnectPlan, gcpRanges: readonly NamedRange[]): string[] {
    const aws = input.aws.map((a) => ({ name: `aws ${a.region} VPC`, cidr: a.vpcCidr }));
    const unknown = [
        ...plan.pairs.filter((p) => awsAsnFor(p.awsRegion) === undefined).map((p) => `aws ${p.awsRegion}: not in the region table (data/regions.ts)`),
        ...plan.hubs.filter((h) => gcpAsnFor(h.region) === undefined).map((h) => `gcp ${h.region}: not in the region table (data/regions.ts)`),
    ];
    const tunnels = plan.pairs.flatMap((p) => p.tunnels.map((t) => ({ name: `${p.awsRegion} tunnel ${t.index}`, cidr: t.insideCidr })));
    return [
        ...targetProblems(input),
        ...unknown,
        ...overlapProblems(aws, gcpRanges),
        ...pairingProblems(input.residency, plan.pairs),
        ...asnProblems(plan.pairs),
        ...insideCidrProblems(tunnels),
    ];
}
