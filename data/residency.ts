import { Environment, K8sRole } from "./catalog/types";
import { zoneOfRegion } from "./regions";

/**
 * Residency in operation: where each tenant's requests go (home regions and their hostnames), where
 * each region's stores of record are copied (inside the residency zone), which roles stop in a
 * passive region, and what recovery point each copy mechanism gives. Pure data and functions.
 */

/** A region of a stack's AWS list (the shape of `StackConfig.aws.regions`). */
export interface RegionRole {
    readonly region: string;
    readonly role: "active" | "passive";
}

// --- Home regions and DNS -------------------------------------------------------------------------

/**
 * A tenant's home: one active region and the passive regions that replicate its databases (Aurora
 * global secondaries). Every region of a home holds the same data; two homes share nothing.
 */
export interface Home {
    readonly active: string;
    readonly passives: readonly string[];
}

/** The stack's homes: the first active region owns the passive regions (stacks/aws.ts wires them so). */
export function homesOf(regions: readonly RegionRole[]): Home[] {
    const actives = regions.filter((r) => r.role === "active").map((r) => r.region);
    const passives = regions.filter((r) => r.role === "passive").map((r) => r.region);
    return actives.map((active, i) => ({ active, passives: i === 0 ? passives : [] }));
}

/** The public hostname of a home in a stack with several: `<region>.<domain>` (inside the stack's `*.<domain>` certificate). */
export function homeHostname(region: string, domain: string): string {
    return `${region}.${domain}`;
}

/** One public DNS record a region's edge writes. */
export interface DnsRecordPlan {
    readonly region: string;
    readonly name: string;
    /** `simple`: one record, no routing policy; `primary`/`secondary`: Route 53 failover inside one home. */
    readonly routing: "simple" | "primary" | "secondary";
}

/**
 * The public records of a stack. One home: `*.<domain>` answered by its active region, failing over
 * to its passive regions (same data: the global database). Several homes: each home gets its own
 * `<region>.<domain>` (and failover to its passives); no name spans two homes, so a tenant's request
 * only reaches the region holding its data, and the stack-wide wildcard is not published.
 */
export function dnsPlan(regions: readonly RegionRole[], domain: string): DnsRecordPlan[] {
    const homes = homesOf(regions);
    const records: DnsRecordPlan[] = [];
    for (const home of homes) {
        const name = homes.length === 1 ? `*.${domain}` : homeHostname(home.active, domain);
        const failover = home.passives.length > 0;
        records.push({ region: home.active, name, routing: failover ? "primary" : "simple" });
        // Route 53 failover has one secondary: the first passive region of the home.
        if (failover) {
            records.push({ region: home.passives[0], name, routing: "secondary" });
        }
    }
    return records;
}

// --- Cross-region copies ---------------------------------------------------------------------------

/**
 * The region each AWS region's stores are copied to when the stack has no passive region for it:
 * the nearest region of the same residency zone (the pairs are symmetric).
 */
export const awsCopyRegionOf: Readonly<Record<string, string>> = {
    "us-east-1": "us-west-2",
    "us-west-2": "us-east-1",
    "us-east-2": "us-west-2",
    "us-west-1": "us-east-2",
    "eu-west-1": "eu-central-1",
    "eu-central-1": "eu-west-1",
    "eu-west-2": "eu-west-1",
    "eu-west-3": "eu-central-1",
    "eu-central-2": "eu-central-1",
    "eu-north-1": "eu-west-1",
    "eu-south-1": "eu-central-1",
    "eu-south-2": "eu-west-3",
    "me-central-1": "me-south-1",
    "me-south-1": "me-central-1",
    "il-central-1": "me-central-1",
    "ap-south-1": "ap-south-2",
    "ap-south-2": "ap-south-1",
    "ap-southeast-1": "ap-southeast-3",
    "ap-southeast-2": "ap-southeast-1",
    "ap-southeast-3": "ap-southeast-1",
    "ap-northeast-1": "ap-northeast-3",
    "ap-northeast-2": "ap-northeast-1",
    "ap-northeast-3": "ap-northeast-1",
};

/** How a store's copy outside its region is made. */
export type CopyMechanism =
    | "aurora-global"
    | "aurora-global-headless"
    | "aws-backup-copy"
    | "s3-replication-rtc"
    | "cloudsql-cross-region-replica"
    | "cloudsql-backup-in-dr-region"
    | "gcs-dual-region"
    | "dynamodb-global-table"
    | "none";

/**
 * Recovery point each mechanism gives after the loss of the source region, in seconds, with the
 * published figure it rests on. An estimate of recovery time (minutes) from the runbook's steps.
 */
export const mechanismRecovery: Readonly<Record<CopyMechanism, { readonly rpoSeconds: number; readonly rtoMinutes: number; readonly basis: string }>> = {
    // Aurora global database: storage-level replication, typical lag under 1 s; managed failover in minutes.
    "aurora-global": { rpoSeconds: 1, rtoMinutes: 20, basis: "Aurora global database replication lag typically < 1 s; failover + role flip + pulumi up" },
    // A headless secondary in another home's region: the same replication, but serving the home there
    // needs instances added (≈ 10–15 min), the failover, and the home's workloads pointed at it.
    "aurora-global-headless": {
        rpoSeconds: 1,
        rtoMinutes: 60,
        basis: "Aurora global database, headless secondary (< 1 s lag); recovery adds instances, fails over and runs the home's workloads against the promoted copy",
    },
    // AWS Backup runs at most hourly; a copy is taken after each backup completes.
    "aws-backup-copy": { rpoSeconds: 3600, rtoMinutes: 120, basis: "AWS Backup hourly rule + cross-region copy; restore of a snapshot into a new cluster" },
    // S3 Replication Time Control: 99.99 % of objects within 15 minutes (the SLA).
    "s3-replication-rtc": { rpoSeconds: 900, rtoMinutes: 5, basis: "S3 Replication Time Control SLA: 15 min; the replica bucket is readable at once" },
    // Cloud SQL cross-region read replica: asynchronous, typically seconds behind; promotion in minutes.
    "cloudsql-cross-region-replica": { rpoSeconds: 60, rtoMinutes: 30, basis: "Cloud SQL cross-region replica (asynchronous, seconds of lag); promote the replica" },
    // Daily automated backups stored in the DR region: the last one may be a day old.
    "cloudsql-backup-in-dr-region": { rpoSeconds: 86400, rtoMinutes: 120, basis: "Cloud SQL daily backup stored in the DR region; restore into a new instance" },
    // Turbo replication on the dual-region bucket: 100 % of new objects within 15 min (the default is 12 h).
    "gcs-dual-region": { rpoSeconds: 900, rtoMinutes: 0, basis: "GCS dual-region with turbo replication: 100 % within 15 min; both regions serve reads" },
    // DynamoDB global tables: asynchronous, typically within a second; every replica takes reads and writes.
    "dynamodb-global-table": { rpoSeconds: 1, rtoMinutes: 0, basis: "DynamoDB global table replication (typically < 1 s); every replica serves" },
    none: { rpoSeconds: Number.POSITIVE_INFINITY, rtoMinutes: Number.POSITIVE_INFINITY, basis: "no copy outside the region" },
};

/** The documents' recovery objectives per service (minutes). */
export const recoveryObjectives: Readonly<Record<string, { readonly rpoMinutes: number; readonly rtoMinutes: number; readonly source: string }>> = {
    "assignment-service": { rpoMinutes: 5, rtoMinutes: 30, source: "seeds/000 §9" },
    "authoring-service": { rpoMinutes: 5, rtoMinutes: 60, source: "seeds/002 §10" },
    "progress-service": { rpoMinutes: 5, rtoMinutes: 90, source: "seeds/003 §11" },
    "notification-service": { rpoMinutes: 5, rtoMinutes: 30, source: "seeds/001 §8" },
};

/** One active region's copies: where they go and whether that region is one of the stack's. */
export interface CopyPair {
    readonly source: string;
    readonly target: string;
    /** The target is a region of the stack (a passive region or another active one), with its own platform. */
    readonly targetInStack: boolean;
}

/**
 * Where each active AWS region of a staging or prod stack copies its stores: its home's passive
 * region if it has one, else its zone pair (`awsCopyRegionOf`) when that is a region of the stack,
 * else another region of the stack in the same zone (it has a platform to hold a global secondary),
 * else the zone pair outside the stack. Dev copies nothing.
 */
export function awsCopyPlan(environment: Environment, regions: readonly RegionRole[]): CopyPair[] {
    if (environment === "dev") {
        return [];
    }
    const inStack = new Set(regions.map((r) => r.region));
    return homesOf(regions).map((home) => {
        const pairRegion = awsCopyRegionOf[home.active];
        const zone = zoneOfRegion("aws", home.active);
        const sameZone = regions.find((r) => r.region !== home.active && zone !== undefined && zoneOfRegion("aws", r.region) === zone)?.region;
        const target = home.passives[0] ?? (pairRegion && inStack.has(pairRegion) ? pairRegion : (sameZone ?? pairRegion ?? ""));
        return { source: home.active, target, targetInStack: inStack.has(target) };
    });
}

/** Refuses copies that leave the residency zone (a `global` stack's regions still have a zone each), or go nowhere. */
export function validateCopyPlan(pairs: readonly CopyPair[]): string[] {
    const problems: string[] = [];
    for (const p of pairs) {
        if (!p.target) {
            problems.push(`${p.source}: no copy region known (data/residency.ts awsCopyRegionOf)`);
            continue;
        }
        if (p.target === p.source) {
            problems.push(`${p.source}: copies to itself`);
            continue;
        }
        const from = zoneOfRegion("aws", p.source);
        const to = zoneOfRegion("aws", p.target);
        if (!from || from !== to) {
            problems.push(`${p.source} → ${p.target}: the copy leaves residency zone "${from ?? "unknown"}" (target in "${to ?? "unknown"}")`);
        }
    }
    return problems;
}

/**
 * The Aurora copy of a pair: a global database when the target has a platform to host a secondary
 * (headless when the target is itself active), else AWS Backup copies into the target region.
 */
export function auroraCopyMechanism(pair: CopyPair): Extract<CopyMechanism, "aurora-global" | "aws-backup-copy"> {
    return pair.targetInStack ? "aurora-global" : "aws-backup-copy";
}

/** AWS Backup rule of every copied region: hourly (AWS Backup's shortest), copies kept as long as the backups. */
export const backupSchedule = { cron: "cron(0 * ? * * *)", startWindowMinutes: 60, completionWindowMinutes: 180 } as const;

// --- Passive regions ---------------------------------------------------------------------------------

/**
 * Roles that write on their own (not in answer to a request): leader-elected singletons, cron jobs,
 * and outbox relays. In a passive region the database is a read-only global secondary and relaying
 * the replicated outbox would publish every event twice, so they do not run until promotion.
 */
export function writesOnItsOwn(role: K8sRole): boolean {
    return role.leaderElection !== undefined || role.runtime === "cronjob" || role.standby === "stopped";
}

/** Does the role run in a region of this role? */
export function runsInRegion(role: K8sRole, regionRole: "active" | "passive"): boolean {
    return regionRole === "active" || !writesOnItsOwn(role);
}

/** KEDA's annotation holding a ScaledObject at a fixed count: the autoscaler neither scales up nor down. */
export const kedaPausedReplicasAnnotation = "autoscaling.keda.sh/paused-replicas";
