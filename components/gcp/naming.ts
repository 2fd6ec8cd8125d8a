import { Environment } from "../../catalog/types";
import { ResidencyZone } from "../../stacks/regions";

/**
 * Pure naming rules of the GCP platform: the document's names where the cloud accepts them, the
 * nearest valid name where it does not (each such case is reported by capacity/gcp.ts).
 */

/** Serverless VPC Access connector names: `^[a-z][-a-z0-9]{0,23}[a-z0-9]$` (at most 25 characters). */
export const connectorNamePattern = /^[a-z][-a-z0-9]{0,23}[a-z0-9]$/;

/** The document's connector name, or the first shorter form that is valid. */
export function connectorName(region: string): string {
    const candidates = [`notification-vpc-connector-${region}`, `notif-conn-${region}`, `notif-${region}`, `nc-${region}`];
    const ok = candidates.find((c) => connectorNamePattern.test(c));
    if (!ok) {
        throw new Error(`no valid VPC connector name for region ${region}`);
    }
    return ok;
}

/** Memorystore for Redis instance ids: 1–40 characters, a lowercase letter first, lowercase letters, digits and '-', no '-' last. */
export const redisInstanceNamePattern = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * The Redis instance id: the platform's `melmastoon-{unit}-{env}-{region}` where it fits in 40
 * characters (kept as it was, so those instances are untouched), else without the `melmastoon-`
 * prefix (the project, `melmastoon-{env}`, already carries it), else unit and region. Ids are unique
 * per project and region, so each form stays unique; the choice depends only on its inputs (stable).
 */
export function redisInstanceName(unit: string, env: Environment, region: string): string {
    const candidates = [`melmastoon-${unit}-${env}-${region}`, `${unit}-${env}-${region}`, `${unit}-${region}`];
    const ok = candidates.find((c) => redisInstanceNamePattern.test(c));
    if (!ok) {
        throw new Error(`no valid Memorystore instance id for ${unit} in ${env}/${region}`);
    }
    return ok;
}

/** The short unit name of a Cloud Run card: `notification-service` → `notification`. */
export function unitOf(service: string): string {
    return service.replace(/-service(?=$|-)/, "");
}

/**
 * Bucket names are global across all projects: prod-us, prod-eu and prod-me are all `prod`, so the
 * document's `melmastoon-notifications-{env}` would collide. Stacks with a residency zone append it.
 */
export function bucketName(unit: string, env: Environment, residency: ResidencyZone): string {
    const base = `melmastoon-${unit}s-${env}`;
    return residency === "global" ? base : `${base}-${residency}`;
}

/**
 * Secret Manager ids allow `[A-Za-z0-9_-]` only: the document's `notification/{env}/platform/{purpose}`
 * becomes `notification--{env}--platform--{purpose}` (`/` → `--`, reversible since no segment has `--`).
 */
export function secretId(path: readonly string[]): string {
    const id = path.map((p) => p.replace(/[^A-Za-z0-9_-]/g, "-")).join("--");
    if (id.length > 255) {
        throw new Error(`secret id ${id} is longer than 255 characters`);
    }
    return id;
}

/** The multi-region a configurable dual-region bucket belongs to, when both regions share one. */
export function dualRegionLocation(a: string, b: string): { location: string; kmsLocation: string } | undefined {
    const continent = (r: string) =>
        r.startsWith("us-") ? { location: "US", kmsLocation: "us" } : r.startsWith("europe-") ? { location: "EU", kmsLocation: "europe" } : r.startsWith("asia-") ? { location: "ASIA", kmsLocation: "asia" } : undefined;
    const ca = continent(a);
    const cb = continent(b);
    return ca && cb && ca.location === cb.location && a !== b ? ca : undefined;
}

/** Cloud SQL instance name of a region (seed 001 §4.1). */
export function sqlInstanceName(unit: string, env: Environment, region: string): string {
    return `melmastoon-${unit}-${env}-${region}-pg`;
}

/** Address plan: a /22 per region index, a /28 per connector, a /23 proxy-only subnet per region. */
export function regionCidrs(index: number): { subnet: string; connector: string; proxyOnly: string } {
    if (index < 0 || index > 60) {
        throw new Error(`region index ${index} outside the address plan (0..60)`);
    }
    return {
        subnet: `10.64.${index * 4}.0/22`,
        connector: `10.65.${index}.0/28`,
        proxyOnly: `10.66.${index * 2}.0/23`,
    };
}

/** Private Service Access range for Cloud SQL and Memorystore, shared by all regions. */
export const privateServiceRange = { address: "10.80.0.0", prefixLength: 16 };

/** UTC offsets (standard time) of the regions the platform uses: Cloud SQL windows are in UTC. */
export const utcOffsetHours: Readonly<Record<string, number>> = {
    "asia-south1": 5.5, "asia-south2": 5.5, "asia-southeast1": 8, "asia-southeast2": 7, "asia-east1": 8, "asia-east2": 8,
    "asia-northeast1": 9, "asia-northeast2": 9, "asia-northeast3": 9, "australia-southeast1": 10,
    "me-central1": 3, "me-central2": 3, "me-west1": 2,
    "europe-west1": 1, "europe-west2": 0, "europe-west3": 1, "europe-west4": 1, "europe-west6": 1, "europe-west8": 1,
    "europe-west9": 1, "europe-west10": 1, "europe-west12": 1, "europe-central2": 1, "europe-north1": 2, "europe-north2": 1,
    "europe-southwest1": 1,
    "us-central1": -6, "us-east1": -5, "us-east4": -5, "us-east5": -5, "us-south1": -6, "us-west1": -8, "us-west2": -8,
    "us-west3": -7, "us-west4": -8,
};

/**
 * Sunday 02:00 local time (seed 001 §4.1) as Cloud SQL's UTC maintenance window: `day` 1 = Monday …
 * 7 = Sunday, whole hours only (a half-hour offset rounds to the later hour, 02:30 local).
 */
export function sundayTwoAmLocal(region: string): { day: number; hour: number } {
    const offset = utcOffsetHours[region] ?? 0;
    let hour = Math.ceil(2 - offset);
    let day = 7;
    if (hour < 0) {
        hour += 24;
        day = 6;
    } else if (hour >= 24) {
        hour -= 24;
        day = 1;
    }
    return { day, hour };
}
