import type { DeployContext } from "../data/context";
import { Finding, finding } from "../data/findings";
import { cloudRunServices, k8sServices } from "../data/catalog";
import { gcpProfiles } from "../data/profiles/gcp";
import { dualRegionLocation } from "../data/naming/gcp";
import { CopyMechanism, auroraCopyMechanism, awsCopyPlan, homesOf, mechanismRecovery, recoveryObjectives } from "../data/residency";

/**
 * Recovery after the loss of a region: for every store of record in every active region of a
 * staging or prod stack, the copy outside the region, the recovery point and time it gives, against
 * the documents' objectives (seeds/000 §9, 001 §8, 002 §10, 003 §11). Pure: data in, findings out.
 *
 * - info: the mechanism meets the objective;
 * - advisory: it does not, with the reason (the gap is stated, not hidden);
 * - mandatory: a store of record with no copy outside its region at all.
 */

/** A store of record in one region and how it is copied. */
export interface StoreCopy {
    readonly service: string;
    readonly store: string;
    readonly region: string;
    readonly target?: string;
    readonly mechanism: CopyMechanism;
    /** Why a mechanism that misses the objective is accepted (shown in the finding). */
    readonly reason?: string;
}

const stagingReason =
    "staging holds synthetic and shadowed tenants only; its objective is seeds/000 §9's quarterly drill (restore in an alternate region from the last backup), which the hourly copy meets";

const headlessReason =
    "the stack is active/active (seeds/000 §4: prod-us) with no standby platform per home; the data is safe within 1 s, serving it from the other home is the runbook's operator step (a warm passive platform per home would double every cluster)";

/** Every store of record of the stack and its copy (pure). */
export function storeCopies(ctx: DeployContext): StoreCopy[] {
    const { config } = ctx;
    if (config.environment === "dev") {
        return [];
    }
    const out: StoreCopy[] = [];
    const pairs = awsCopyPlan(config.environment, config.aws.regions);
    for (const home of homesOf(config.aws.regions)) {
        const pair = pairs.find((p) => p.source === home.active);
        for (const card of k8sServices(ctx.catalog)) {
            if (card.database) {
                const global = pair ? auroraCopyMechanism(pair) : "none";
                // Into another home's region the secondary is headless (no platform of its own to fail over to).
                const targetActive = config.aws.regions.some((r) => r.region === pair?.target && r.role === "active");
                const mechanism: CopyMechanism = global === "aurora-global" && targetActive ? "aurora-global-headless" : global;
                out.push({
                    service: card.service,
                    store: `${card.service}-db`,
                    region: home.active,
                    target: pair?.target,
                    mechanism,
                    reason:
                        mechanism === "aws-backup-copy" && config.environment === "staging"
                            ? stagingReason
                            : mechanism === "aurora-global-headless"
                              ? headlessReason
                              : undefined,
                });
            }
            for (const b of card.buckets) {
                out.push({
                    service: card.service,
                    store: `${card.service}-${b.purpose}-bucket`,
                    region: home.active,
                    target: pair?.target,
                    mechanism: pair ? "s3-replication-rtc" : "none",
                    reason: pair
                        ? "S3 has no faster cross-region copy than Replication Time Control (15-minute SLA, most objects in seconds); the objects are derived (drafts snapshotted hourly per seeds/002 §10, archive Parquet written from the database), so the database's copy bounds what is lost"
                        : undefined,
                });
            }
        }
    }
    const homes = homesOf(config.aws.regions);
    if (homes.length > 1) {
        out.push({ service: "tenant-service", store: "tenant-directory", region: homes[0].active, target: homes.slice(1).map((h) => h.active).join(", "), mechanism: "dynamodb-global-table" });
    }
    const gcpActive = config.gcp.regions.filter((r) => r.role === "active");
    const dr = config.gcp.regions.find((r) => r.role === "dr");
    const gcpProfile = gcpProfiles[config.environment];
    for (const card of cloudRunServices(ctx.catalog)) {
        for (const r of gcpActive) {
            out.push({ service: card.service, store: `${card.service}-cloudsql`, region: r.region, target: dr?.region, mechanism: dr ? "cloudsql-cross-region-replica" : "none" });
            const dual = gcpProfile.dualRegionBucket && dr ? dualRegionLocation(r.region, dr.region) : undefined;
            out.push({
                service: card.service,
                store: `${card.service}-bucket`,
                region: r.region,
                target: dual ? dr?.region : undefined,
                mechanism: dual ? "gcs-dual-region" : "none",
                reason: dual
                    ? "turbo replication is Cloud Storage's fastest cross-region copy (15 min); the bucket holds rendered assets rebuilt from templates in the database"
                    : "regional bucket (no configurable dual-region pairs this zone's regions, or not prod); it holds rendered assets rebuilt from templates in the database, whose replica is the copy of record",
            });
        }
    }
    return out;
}

function minutes(seconds: number): string {
    if (!Number.isFinite(seconds)) {
        return "none";
    }
    return seconds < 60 ? `${seconds} s` : seconds < 3600 ? `${seconds / 60} min` : `${seconds / 3600} h`;
}

/** The findings: one per store, its RPO and RTO against the document's. */
export function drFindings(ctx: DeployContext): Finding[] {
    return storeCopies(ctx).map((s) => {
        const objective = recoveryObjectives[s.service] ?? { rpoMinutes: 5, rtoMinutes: 30, source: "seeds/000 §9" };
        const rec = mechanismRecovery[s.mechanism];
        const resource = `${s.store}@${s.region}`;
        const where = s.target ? `${s.region} → ${s.target}` : s.region;
        const meetsRpo = rec.rpoSeconds <= objective.rpoMinutes * 60;
        const meetsRto = rec.rtoMinutes <= objective.rtoMinutes;
        const numbers = `RPO ${minutes(rec.rpoSeconds)} (objective ${objective.rpoMinutes} min), RTO ≈ ${Number.isFinite(rec.rtoMinutes) ? `${rec.rtoMinutes} min` : "none"} (objective ${objective.rtoMinutes} min, ${objective.source}) — ${rec.basis}`;
        if (s.mechanism === "none" && s.reason === undefined) {
            return finding("dr/no-copy", "mandatory", resource, `${where}: no copy outside the region; ${numbers}`);
        }
        if (meetsRpo && meetsRto) {
            return finding("dr/copy", "info", resource, `${where}: ${s.mechanism} meets the objectives: ${numbers}`);
        }
        return finding("dr/copy-gap", "advisory", resource, `${where}: ${s.mechanism} misses the objectives: ${numbers}; accepted because ${s.reason ?? "no mechanism meets them"}`);
    });
}
