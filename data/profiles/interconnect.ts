/**
 * The cross-cloud path's numbers (HA VPN between each AWS region's VPC and the GCP VPC of the same
 * stack): BGP ASNs, tunnel inside ranges, IPsec proposals. Pure data; components/interconnect/plan.ts
 * allocates from it and validates the result before any resource exists.
 */

/** Private 16-bit ASNs (RFC 6996), the range both AWS (amazonSideAsn, CGW) and Cloud Router accept. */
export const privateAsnRange = { min: 64512, max: 65534 } as const;

/**
 * ASN of each side by the region's index in the program's region table (data/regions.ts), so an
 * ASN belongs to a region whatever stack it is in: AWS virtual private gateways 64600 + i (23 AWS
 * regions: 64600–64622), GCP Cloud Routers 65000 + j (35 GCP regions: 65000–65034). Disjoint.
 */
export const asnBase = { aws: 64600, gcp: 65000 } as const;

/**
 * Tunnel inside ranges: the four /30s of an AWS region i are 169.254.<insideThirdOctetBase + i>.{0,4,8,12}/30.
 * The AWS side (virtual private gateway) takes the first host, the GCP side (Cloud Router) the second.
 */
export const insideThirdOctetBase = 16;

/** Inside /30s AWS reserves (Site-to-Site VPN tunnel options, TunnelInsideCidr). */
export const awsReservedInsideCidrs = [
    "169.254.0.0/30",
    "169.254.1.0/30",
    "169.254.2.0/30",
    "169.254.3.0/30",
    "169.254.4.0/30",
    "169.254.5.0/30",
    "169.254.169.252/30",
] as const;

/**
 * IPsec proposals on the AWS tunnels: IKEv2 with one transform per role. Cloud VPN supports all of
 * them, and a single transform keeps AWS's SA payload small (Google's known issue: AWS's default
 * transform list fragments IKE packets and Cloud VPN then fails to rekey).
 */
export const ipsecProposal = {
    ikeVersions: ["ikev2"],
    phase1: { encryption: ["AES256"], integrity: ["SHA2-256"], dhGroups: [14], lifetimeSeconds: 28800 },
    phase2: { encryption: ["AES256"], integrity: ["SHA2-256"], dhGroups: [14], lifetimeSeconds: 3600 },
} as const;

/** Pre-shared key length (AWS: 8–64 characters of [A-Za-z0-9._], not starting with 0). */
export const presharedKeyLength = 40;
