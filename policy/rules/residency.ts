import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { arr, obj } from "./util";

/**
 * Residency in routing: a tenant's hostname must resolve only to regions holding its data.
 */

const routingKeys = ["latencyRoutingPolicies", "geolocationRoutingPolicies", "geoproximityRoutingPolicy", "weightedRoutingPolicies", "failoverRoutingPolicies", "cidrRoutingPolicy"] as const;

type Res = Pick<PolicyResource, "type" | "props" | "urn" | "name"> & { provider?: { props: Record<string, unknown> } };

/** The region a resource is created in: its explicit provider's region. */
function providerRegion(r: Res): string | undefined {
    const v = r.provider?.props.region;
    return typeof v === "string" ? v : undefined;
}

/** A record with a routing policy (or a set identifier, which only routed records carry). */
export function isRoutedRecord(props: Record<string, unknown>): boolean {
    return routingKeys.some((k) => arr(props[k]).length > 0 || Object.keys(obj(props[k])).length > 0) || props.multivalueAnswerRoutingPolicy === true || typeof props.setIdentifier === "string";
}

/** The region a routed record sends clients to: its latency region, else its alias target's (an ELB name), else its provider's. */
export function recordRegion(r: Res): string | undefined {
    const latency = obj(arr(r.props.latencyRoutingPolicies)[0]).region;
    if (typeof latency === "string") {
        return latency;
    }
    const alias = obj(arr(r.props.aliases)[0]).name;
    const m = typeof alias === "string" ? /\.([a-z]{2}(?:-[a-z]+)+-\d)\.elb\.amazonaws\.com\.?$/.exec(alias) : null;
    return m?.[1] ?? providerRegion(r);
}

/**
 * The data each region can serve: the Aurora databases with at least one instance there, named by
 * their global database when they are members of one (a global primary and a secondary with readers
 * serve the same data), else by region and cluster (standalone: nobody else has it). A headless
 * secondary (no instances) serves nothing until promotion.
 */
export function servedData(resources: readonly Res[]): Map<string, Set<string>> {
    const withInstances = new Set<string>();
    for (const r of resources.filter((x) => x.type === "aws:rds/clusterInstance:ClusterInstance")) {
        withInstances.add(`${providerRegion(r)}:${String(r.props.clusterIdentifier)}`);
    }
    const served = new Map<string, Set<string>>();
    for (const c of resources.filter((x) => x.type === "aws:rds/cluster:Cluster")) {
        const region = providerRegion(c);
        if (!region || !withInstances.has(`${region}:${String(c.props.clusterIdentifier)}`)) {
            continue;
        }
        const global = c.props.globalClusterIdentifier;
        const key = typeof global === "string" && global ? `global:${global}` : `${region}:${String(c.props.clusterIdentifier)}`;
        served.set(region, (served.get(region) ?? new Set<string>()).add(key));
    }
    return served;
}

function sameData(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
    const x = a ?? new Set<string>();
    const y = b ?? new Set<string>();
    return x.size === y.size && [...x].every((k) => y.has(k));
}

export const dnsSpansUnsharedData: StackValidationPolicy = {
    name: "residency-dns-spans-unshared-data",
    description:
        "No Route 53 routing policy (latency, geolocation, geoproximity, weighted, failover, multivalue, CIDR) spreads one hostname " +
        "across regions whose data is not shared: every region a routed name answers from serves the same Aurora databases " +
        "(members with instances of the same global databases), so a tenant never lands in a region without its data.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const served = servedData(args.resources);
        const groups = new Map<string, Res[]>();
        for (const r of args.resources.filter((x) => x.type === "aws:route53/record:Record" && isRoutedRecord(x.props))) {
            const key = `${String(r.props.zoneId)} ${String(r.props.name)} ${String(r.props.type)}`;
            groups.set(key, [...(groups.get(key) ?? []), r]);
        }
        for (const records of groups.values()) {
            const regions = [...new Set(records.map(recordRegion).filter((x): x is string => x !== undefined))].sort();
            for (const other of regions.slice(1)) {
                if (!sameData(served.get(regions[0]), served.get(other))) {
                    const name = String(records[0].props.name);
                    report(
                        `Route 53 name "${name}" is routed to ${regions.join(" and ")}, whose data is not shared (${regions[0]}: ${[...(served.get(regions[0]) ?? [])].join(", ") || "none"}; ${other}: ${[...(served.get(other) ?? [])].join(", ") || "none"}): a tenant can land in a region that does not hold its data — give each home its own hostname`,
                        records[0].urn,
                    );
                    break;
                }
            }
        }
    },
};

export const residencyPolicies: StackValidationPolicy[] = [dnsSpansUnsharedData];
