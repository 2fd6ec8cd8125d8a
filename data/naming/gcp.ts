import { Environment } from "../catalog/types";
import { ResidencyZone } from "../regions";

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

/**
 * The /16s the GCP address plan draws from (subnets, connectors, proxy-only subnets, Private Service
 * Access). The AWS VPC ranges stay out of them: the two clouds are joined by HA VPN.
 */
export const gcpAddressBlocks = ["10.64.0.0/16", "10.65.0.0/16", "10.66.0.0/16", `${privateServiceRange.address}/${privateServiceRange.prefixLength}`] as const;

/** Private host mesh callers use for a Cloud Run service (`notification-service` → `notification-internal.{domain}`). */
export function internalHostOf(service: string, domain: string): string {
    return `${unitOf(service)}-internal.${domain}`;
}

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

/**
 * Three zones of every GCP region the residency table allows (Compute Engine's regions and zones
 * list). Not every region has an `-a` zone (europe-west1, us-east1), so the letters are data.
 */
export const gcpZoneLetters: Readonly<Record<string, readonly string[]>> = {
    "us-central1": ["a", "b", "c"], "us-east1": ["b", "c", "d"], "us-east4": ["a", "b", "c"], "us-east5": ["a", "b", "c"],
    "us-south1": ["a", "b", "c"], "us-west1": ["a", "b", "c"], "us-west2": ["a", "b", "c"], "us-west3": ["a", "b", "c"],
    "us-west4": ["a", "b", "c"],
    "europe-west1": ["b", "c", "d"], "europe-west2": ["a", "b", "c"], "europe-west3": ["a", "b", "c"], "europe-west4": ["a", "b", "c"],
    "europe-west6": ["a", "b", "c"], "europe-west8": ["a", "b", "c"], "europe-west9": ["a", "b", "c"], "europe-west10": ["a", "b", "c"],
    "europe-west12": ["a", "b", "c"], "europe-central2": ["a", "b", "c"], "europe-north1": ["a", "b", "c"], "europe-north2": ["a", "b", "c"],
    "europe-southwest1": ["a", "b", "c"],
    "me-central1": ["a", "b", "c"], "me-central2": ["a", "b", "c"], "me-west1": ["a", "b", "c"],
    "asia-south1": ["a", "b", "c"], "asia-south2": ["a", "b", "c"], "asia-southeast1": ["a", "b", "c"], "asia-southeast2": ["a", "b", "c"],
    "asia-east1": ["a", "b", "c"], "asia-east2": ["a", "b", "c"], "asia-northeast1": ["a", "b", "c"], "asia-northeast2": ["a", "b", "c"],
    "asia-northeast3": ["a", "b", "c"], "australia-southeast1": ["a", "b", "c"],
};

/** The zones a regional managed instance group spreads over. */
export function regionZones(region: string): string[] {
    const letters = gcpZoneLetters[region];
    if (!letters) {
        throw new Error(`no zone list for GCP region ${region}`);
    }
    return letters.map((l) => `${region}-${l}`);
}

/** Compute Engine resource names: RFC 1035, 1–63 characters. */
export const computeNamePattern = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Longest instance template name prefix that keeps the provider's full-length unique suffix. */
export const templatePrefixMaxLength = 37;
/** A MIG appends `-xxxx` to its base instance name; instance names are at most 63 characters. */
export const baseInstanceNameMaxLength = 58;

export interface PgBouncerNames {
    /** Instance template `namePrefix` (a new template per change, so the MIG can roll to it). */
    readonly templatePrefix: string;
    readonly mig: string;
    readonly baseInstanceName: string;
    readonly healthCheck: string;
    readonly backend: string;
    readonly address: string;
    readonly forwardingRule: string;
    readonly firewallClients: string;
    readonly firewallHealth: string;
}

/**
 * Physical names of a region's PgBouncer pieces, `{unit}-pgbouncer-{region}[-role]` (the document's
 * `notification-pgbouncer-{region}`), each checked against the Compute Engine limits.
 */
export function pgbouncerNames(unit: string, region: string): PgBouncerNames {
    const base = `${unit}-pgbouncer-${region}`;
    // The full unit where it fits the prefix limit, else its first five letters (as service account ids do).
    const copy = /-x\d+$/.exec(unit)?.[0] ?? "";
    const prefixes = [`${unit}-pgb-${region}-`, `${unit.slice(0, 5)}${copy}-pgb-${region}-`];
    const names: PgBouncerNames = {
        templatePrefix: prefixes.find((p) => p.length <= templatePrefixMaxLength) ?? prefixes[0],
        mig: base,
        baseInstanceName: base,
        healthCheck: `${base}-hc`,
        backend: base,
        address: `${base}-ip`,
        forwardingRule: base,
        firewallClients: `${base}-clients`,
        firewallHealth: `${base}-health`,
    };
    const { templatePrefix, baseInstanceName, ...rest } = names;
    if (templatePrefix.length > templatePrefixMaxLength || !/^[a-z][-a-z0-9]*-$/.test(templatePrefix)) {
        throw new Error(`instance template prefix "${templatePrefix}" is not a lowercase prefix of at most ${templatePrefixMaxLength} characters`);
    }
    if (baseInstanceName.length > baseInstanceNameMaxLength || !computeNamePattern.test(baseInstanceName)) {
        throw new Error(`base instance name "${baseInstanceName}" is longer than ${baseInstanceNameMaxLength} characters or not RFC 1035`);
    }
    for (const [role, n] of Object.entries(rest)) {
        if (!computeNamePattern.test(n)) {
            throw new Error(`PgBouncer ${role} name "${n}" is not RFC 1035 or longer than 63 characters`);
        }
    }
    return names;
}

/** The ID-token audience peer callers present to a Cloud Run service's internal entry (its `customAudiences`). */
export function internalAudienceOf(service: string, domain: string): string {
    return `https://${internalHostOf(service, domain)}`;
}

/**
 * The GCP service account a peer service on AWS impersonates to call a Cloud Run service
 * (`assignment-service` → `peer-assignment-service`): one per calling service and project, the only
 * identity the card's `inbound` names for it. Ids are 6–30 characters `[a-z][a-z0-9-]*[a-z0-9]`.
 */
export function peerAccountId(caller: string): string {
    const id = `peer-${caller}`.slice(0, 30).replace(/-+$/, "");
    if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(id)) {
        throw new Error(`no valid service account id for peer caller ${caller}: ${id}`);
    }
    return id;
}

/** Workload Identity Federation of the EKS callers: pool and provider ids (4–32 characters, no `gcp-` prefix). */
export const peerWorkloadPool = { poolId: "aws-eks-callers", providerId: "aws-eks" } as const;

/**
 * Google APIs the callers reach over the HA VPN to mint ID tokens (Security Token Service, IAM
 * Credentials), resolved to `private.googleapis.com`'s addresses, which the Cloud Router advertises.
 */
export const privateGoogleApis = {
    hosts: ["sts.googleapis.com", "iamcredentials.googleapis.com"],
    cidr: "199.36.153.8/30",
    addresses: ["199.36.153.8", "199.36.153.9", "199.36.153.10", "199.36.153.11"],
} as const;

/** Service account ids: `[a-z][a-z0-9-]{4,28}[a-z0-9]` (6–30 characters). */
export const accountIdPattern = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** `notification` + `webhook-correlator` → `notif-webhook-correlator` (the full name is 31 chars). */
export function accountIdOf(unit: string, identity: string): string {
    const copy = /-x\d+$/.exec(unit)?.[0] ?? "";
    const id = `${unit.slice(0, 5)}${copy}-${identity}`.slice(0, 30).replace(/-+$/, "");
    if (!accountIdPattern.test(id)) {
        throw new Error(`no valid service account id for ${unit}/${identity}: ${id}`);
    }
    return id;
}
