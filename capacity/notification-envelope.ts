import { CloudRunServiceCard, ReplicaRange } from "../data/catalog/types";
import type { DeployContext } from "../data/context";
import { Finding, finding } from "../data/findings";
import { GcpProfile } from "../data/profiles/gcp";
import { pgbouncerServerPools } from "../data/profiles/gcp";
import { unitOf } from "../data/naming/gcp";

/**
 * The four §7 rows of seed 001 the GCP model did not check yet: Pub/Sub fan-in, outbound sends,
 * Postgres TPS and Memorystore ops, each against what the stack provisions. Every per-unit figure is
 * named here with its source; figures marked "estimate" are ours (no cloud publishes them) and the
 * scale tests of TESTING_STRATEGY §8 replace them. Pure: no Pulumi imports.
 */

/** Seed 001 §7 (prod, asia-south1): target and burst columns. */
export const envelopeTargets = {
    pubsubFanIn: { target: 5_000, burst: 20_000 },
    outboundSends: { target: 3_000, burst: 12_000 },
    postgresTps: { target: 4_000, burst: 12_000 },
    memorystoreOps: { target: 50_000, burst: 200_000 },
} as const;

/**
 * Pub/Sub "Publisher throughput per region" default quota (cloud.google.com/pubsub/quotas): 200 MB/s
 * (12 000 000 kB/min) in the large regions europe-west1, us-central1, us-east1; 50 MB/s
 * (3 000 000 kB/min) everywhere else. Usage is the published messages' size; messages with an
 * ordering key are capped at 1 MB/s per key.
 */
export const pubsubLargeRegions: readonly string[] = ["europe-west1", "us-central1", "us-east1"];
export const pubsubPublishMBpsLarge = 200;
export const pubsubPublishMBpsSmall = 50;
export const pubsubPerOrderingKeyMBps = 1;
/** Estimate: an event envelope (EVENT_SCHEMAS §1 header + ids, no rendered body) is at most 1 kB. */
export const eventMessageKb = 1;
/** Estimate: a vendor API call (SendGrid, Twilio, Meta, FCM) holds a worker slot 500 ms at p95. */
export const vendorCallSeconds = 0.5;
/**
 * Estimate: 2 000 short OLTP transactions per second per vCPU on Cloud SQL for PostgreSQL (pgbench's
 * five-statement TPC-B-like transaction is CPU-bound at ~0.5 ms of CPU); Google publishes no TPS figure.
 */
export const postgresTpsPerVcpu = 2_000;
/** Estimate: a transaction holds its PgBouncer server connection 10 ms (statements + synchronous HA commit). */
export const postgresTransactionSeconds = 0.01;
/**
 * Estimate: 100 000 ops/s per Memorystore node for small GET/SET/INCR without pipelining (Redis runs
 * commands on one thread; I/O threads only from the M3 capacity tier, 11 GB, up). Google's tier page:
 * reads scale with every read replica behind the read endpoint, writes go to the primary only.
 */
export const redisOpsPerNode = 100_000;
/** Estimate: share of writes (rate-limit INCRs, WS routing updates); template/trigger/suppression/channel caches are reads. */
export const redisWriteShare = 0.2;

const pct = (n: number, of: number) => `${Math.round((n / of) * 1000) / 10}%`;
const severityOf = (margin: number) => (margin >= 0 ? "info" : "mandatory");

function rangeOf(ctx: DeployContext, card: CloudRunServiceCard, role: CloudRunServiceCard["roles"][number]): ReplicaRange {
    return ctx.replicas[`${card.service}/${role.name}`] ?? role.instances[ctx.config.environment];
}

/** The regional publish quota in MB/s. */
export function pubsubPublishQuotaMBps(region: string): number {
    return pubsubLargeRegions.includes(region) ? pubsubPublishMBpsLarge : pubsubPublishMBpsSmall;
}

/**
 * Fan-in at the burst: (a) bytes published in the region while 20 000 requests/s arrive — the requests
 * themselves, the router's dispatches and the workers' status events at the outbound burst — against
 * the regional publish quota; (b) the routers that take the push deliveries: max instances ×
 * concurrency slots, each held for the card's p95 budget.
 */
export function pubsubFanInFindings(ctx: DeployContext, card: CloudRunServiceCard, region: string, messageKb = eventMessageKb): Finding[] {
    const t = envelopeTargets;
    const publishedPerS = t.pubsubFanIn.burst + 2 * t.outboundSends.burst;
    const mbps = (publishedPerS * messageKb) / 1000;
    const quota = pubsubPublishQuotaMBps(region);
    const quotaMargin = quota - mbps;
    const out = [
        finding(
            "capacity/gcp-pubsub-fan-in",
            severityOf(quotaMargin),
            `${unitOf(card.service)}-pubsub-${region}`,
            `burst publishes ${t.pubsubFanIn.burst} requested + ${t.outboundSends.burst} dispatch + ${t.outboundSends.burst} status = ${publishedPerS} msg/s × ${messageKb} kB (estimate) = ${mbps} MB/s ` +
                `vs ${region}'s publisher throughput quota ${quota} MB/s (${pubsubLargeRegions.includes(region) ? "large" : "small"} region; margin ${quotaMargin} MB/s, ${pct(quotaMargin, quota)}); ` +
                `one ordering key carries at most ${pubsubPerOrderingKeyMBps} MB/s = ${(pubsubPerOrderingKeyMBps * 1000) / messageKb} msg/s (one tenant's requests)`,
        ),
    ];
    const router = card.roles.find((r) => r.consumes.includes("requested"));
    if (router) {
        const range = rangeOf(ctx, card, router);
        const slots = range.max * router.concurrency;
        const holdS = card.slo.p95LatencyMs / 1000;
        const capacity = Math.floor(slots / holdS);
        const margin = capacity - t.pubsubFanIn.burst;
        out.push(
            finding(
                "capacity/gcp-pubsub-fan-in",
                severityOf(margin),
                `${card.service}/${router.name}@${region}`,
                `push deliveries of ${t.pubsubFanIn.burst} msg/s (target ${t.pubsubFanIn.target}) vs ${range.max} instances × ${router.concurrency} concurrency = ${slots} slots ` +
                    `held ${card.slo.p95LatencyMs} ms (the card's p95 budget) = ${capacity} msg/s (margin ${margin}, ${pct(margin, t.pubsubFanIn.burst)})`,
            ),
        );
    }
    return out;
}

/** Outbound sends: the channel workers' slots (max instances × concurrency) over a vendor call's hold time. */
export function outboundSendsFinding(ctx: DeployContext, card: CloudRunServiceCard): Finding {
    const t = envelopeTargets.outboundSends;
    const workers = card.roles.filter((r) => r.name.startsWith("worker-"));
    const parts = workers.map((r) => ({ name: r.name, slots: rangeOf(ctx, card, r).max * r.concurrency }));
    const slots = parts.reduce((s, p) => s + p.slots, 0);
    const capacity = Math.floor(slots / vendorCallSeconds);
    const margin = capacity - t.burst;
    return finding(
        "capacity/gcp-outbound-sends",
        workers.length > 0 ? severityOf(margin) : "mandatory",
        `${card.service}/workers`,
        `${t.burst} sends/s burst (target ${t.target}) vs ${workers.length} channel workers' ${slots} slots (${parts.map((p) => `${p.name} ${p.slots}`).join(", ")}) ` +
            `over ${vendorCallSeconds * 1000} ms per vendor call (estimate) = ${capacity} sends/s (margin ${margin}, ${pct(margin, t.burst)}); NAT ports: capacity/gcp-nat-ports`,
    );
}

/** vCPUs of a Cloud SQL custom tier `db-custom-<vcpu>-<mb>`; 0 for a shared-core or unknown tier. */
export function sqlTierVcpus(tier: string): number {
    const m = /^db-custom-(\d+)-\d+$/.exec(tier);
    return m ? Number(m[1]) : 0;
}

/**
 * Postgres TPS on the primary (the read replicas serve analytics, seed 001 §4.1, not the send path):
 * vCPUs × TPS per vCPU, and PgBouncer's steady server pool over a transaction's hold time.
 */
export function postgresTpsFinding(card: CloudRunServiceCard, profile: GcpProfile): Finding {
    const t = envelopeTargets.postgresTps;
    const vcpus = sqlTierVcpus(profile.sql.tier);
    const cpuTps = vcpus * postgresTpsPerVcpu;
    const pool = pgbouncerServerPools(profile.pgbouncer).steady;
    const poolTps = Math.floor(pool / postgresTransactionSeconds);
    const capacity = Math.min(cpuTps, poolTps);
    const margin = capacity - t.burst;
    return finding(
        "capacity/gcp-postgres-tps",
        severityOf(margin),
        `${unitOf(card.service)}-sql`,
        `${t.burst} TPS burst (target ${t.target}) vs ${profile.sql.tier}: ${vcpus} vCPU × ${postgresTpsPerVcpu} TPS per vCPU (estimate) = ${cpuTps}; ` +
            `PgBouncer server pool ${pool} / ${postgresTransactionSeconds * 1000} ms per transaction (estimate) = ${poolTps}; capacity ${capacity} (margin ${margin}, ${pct(margin, t.burst)})`,
    );
}

/**
 * Memorystore ops at the burst: writes land on the primary; reads spread over the primary and the
 * read replicas (read endpoint). The primary's load is writes + its share of reads.
 */
export function memorystoreOpsFinding(card: CloudRunServiceCard, profile: GcpProfile): Finding {
    const t = envelopeTargets.memorystoreOps;
    const replicas = profile.redis.tier === "STANDARD_HA" ? profile.redis.readReplicas : 0;
    const nodes = 1 + replicas;
    const writes = Math.round(t.burst * redisWriteShare);
    const readsPerNode = Math.round((t.burst - writes) / nodes);
    const primaryLoad = writes + readsPerNode;
    const margin = redisOpsPerNode - primaryLoad;
    return finding(
        "capacity/gcp-memorystore-ops",
        severityOf(margin),
        `${unitOf(card.service)}-redis`,
        `${t.burst} ops/s burst (target ${t.target}): ${redisWriteShare * 100}% writes (estimate) = ${writes} on the primary + reads ${t.burst - writes} over ${nodes} node(s) ` +
            `(primary + ${replicas} read replicas) = ${readsPerNode} each → primary ${primaryLoad} vs ${redisOpsPerNode} ops/s per node (estimate; ${profile.redis.memoryGb} GB ${profile.redis.tier}) ` +
            `(margin ${margin}, ${pct(margin, redisOpsPerNode)})`,
    );
}

/** The four rows, prod only (the §7 table is prod's); the fan-in quota once per active region. */
export function notificationEnvelopeFindings(ctx: DeployContext, card: CloudRunServiceCard, profile: GcpProfile): Finding[] {
    if (ctx.config.environment !== "prod") {
        return [];
    }
    const active = ctx.config.gcp.regions.filter((r) => r.role === "active").map((r) => r.region);
    return [
        ...active.flatMap((region) => pubsubFanInFindings(ctx, card, region)),
        outboundSendsFinding(ctx, card),
        postgresTpsFinding(card, profile),
        memorystoreOpsFinding(card, profile),
    ];
}
