/**
 * Residency zones: which cloud regions a stack may place data in. Pure data.
 *
 * A stack declares one zone; every region it selects, on either cloud, must belong to that zone.
 * `global` is for dev and staging, whose tenants are synthetic or shadowed (no real tenant data).
 */
export const residencyZones = ["us", "eu", "me", "ap", "global"] as const;
export type ResidencyZone = (typeof residencyZones)[number];

/** AWS regions by zone (commercial partition only). */
export const awsRegionsByZone: Record<Exclude<ResidencyZone, "global">, readonly string[]> = {
    us: ["us-east-1", "us-east-2", "us-west-1", "us-west-2"],
    eu: ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2"],
    me: ["me-central-1", "me-south-1", "il-central-1"],
    ap: ["ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3"],
};

/** GCP regions by zone. */
export const gcpRegionsByZone: Record<Exclude<ResidencyZone, "global">, readonly string[]> = {
    us: ["us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1", "us-west2", "us-west3", "us-west4"],
    eu: [
        "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6", "europe-west8",
        "europe-west9", "europe-west10", "europe-west12", "europe-central2", "europe-north1", "europe-north2",
        "europe-southwest1",
    ],
    me: ["me-central1", "me-central2", "me-west1"],
    ap: ["asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3", "australia-southeast1"],
};

/** Every region a zone allows, for one cloud. `global` allows every known region. */
export function regionsAllowed(cloud: "aws" | "gcp", zone: ResidencyZone): readonly string[] {
    const table = cloud === "aws" ? awsRegionsByZone : gcpRegionsByZone;
    if (zone === "global") {
        return Object.values(table).flat();
    }
    return table[zone];
}

/** The zone a region belongs to, or undefined for a region this program does not know. */
export function zoneOfRegion(cloud: "aws" | "gcp", region: string): Exclude<ResidencyZone, "global"> | undefined {
    const table = cloud === "aws" ? awsRegionsByZone : gcpRegionsByZone;
    for (const [zone, regions] of Object.entries(table)) {
        if (regions.includes(region)) {
            return zone as Exclude<ResidencyZone, "global">;
        }
    }
    return undefined;
}
