import type { K8sServiceCard, NodePool, TopologyCard } from "../data/catalog/types";
import { nodePools } from "../data/catalog/types";
import type { DeployContext } from "../data/context";
import { AwsProfile, awsProfiles, rdsInstanceMemoryGiB } from "../data/profiles/aws";
import type { ResolvedReplicas } from "../data/replicas";
import { DbClient, connectionBudget, connectionBudgetFinding } from "./db-budget";
import { poolerClientFinding, poolerServerFinding } from "./db-pooler";
import { poolerProfiles } from "../data/profiles/pooler";
import { jetStreamFindings } from "./jetstream";
import { cdnFindings } from "./cdn";
import { Finding, finding } from "../data/findings";
import { allocatable, instanceShapes, InstanceShape } from "./instances";
import { NodeOverhead, PoolWorkload, nodesNeeded, poolFit, poolFitFinding } from "./node-pools";
import { cpuMillis, memoryMiB } from "./quantities";

/**
 * The AWS side of the capacity model (pure; no Pulumi). The EKS component sizes node groups and the
 * Aurora component sets `max_connections` with these functions; `awsCapacityFindings` reports the
 * same arithmetic in the plan.
 */

function eksCards(cards: readonly TopologyCard[]): K8sServiceCard[] {
    return cards.filter((c): c is K8sServiceCard => c.platform === "eks");
}

export function instanceShape(instanceType: string): InstanceShape {
    const shape = instanceShapes[instanceType];
    if (!shape) {
        throw new Error(`unknown instance type "${instanceType}"; known: ${Object.keys(instanceShapes).join(", ")}`);
    }
    return shape;
}

/** The workloads a pool must hold, at max (or min) replicas: catalog roles on it, plus platform components on the platform pool. */
export function poolWorkloads(
    pool: NodePool,
    cards: readonly TopologyCard[],
    replicas: ResolvedReplicas,
    profile: AwsProfile,
    at: "max" | "min" = "max",
): PoolWorkload[] {
    const out: PoolWorkload[] = [];
    for (const card of eksCards(cards)) {
        for (const role of card.roles.filter((r) => r.nodePool === pool)) {
            const range = replicas[`${card.service}/${role.name}`] ?? role.replicas[profile.environment];
            out.push({
                name: `${card.service}/${role.name}`,
                maxReplicas: at === "max" ? range.max : range.min,
                cpuMillis: cpuMillis(role.resources.cpuRequest),
                memoryMiB: memoryMiB(role.resources.memoryRequest),
            });
        }
    }
    if (pool === "platform") {
        out.push({ name: "nats", maxReplicas: profile.nats.replicas, cpuMillis: cpuMillis(profile.nats.cpuRequest), memoryMiB: memoryMiB(profile.nats.memoryRequest) });
        for (const c of profile.platformComponents) {
            out.push({ name: c.name, maxReplicas: c.replicas, cpuMillis: cpuMillis(c.cpu), memoryMiB: memoryMiB(c.memory) });
        }
    }
    return out;
}

/** What the profile's DaemonSets (ztunnel, istio-cni) request on every node of every pool. */
export function nodeOverhead(profile: AwsProfile): NodeOverhead {
    return {
        cpuMillis: profile.nodeDaemons.reduce((s, d) => s + cpuMillis(d.cpu), 0),
        memoryMiB: profile.nodeDaemons.reduce((s, d) => s + memoryMiB(d.memory), 0),
    };
}

export interface NodeGroupSize {
    readonly instanceType: string;
    readonly minSize: number;
    readonly desiredSize: number;
    readonly maxSize: number;
}

/**
 * Scaling bounds of one managed node group: max holds every workload at max replicas with the
 * profile's headroom; min holds them at min replicas, and never less than the profile's floor
 * (one node per zone in staging/prod so a zone loss leaves capacity in the other two).
 */
export function nodeGroupSize(pool: NodePool, cards: readonly TopologyCard[], replicas: ResolvedReplicas, profile: AwsProfile): NodeGroupSize {
    const p = profile.nodePools[pool];
    const shape = instanceShape(p.instanceType);
    const overhead = nodeOverhead(profile);
    const maxSize = Math.max(p.minNodes, nodesNeeded(shape, poolWorkloads(pool, cards, replicas, profile, "max"), p.headroom, overhead));
    const atMin = nodesNeeded(shape, poolWorkloads(pool, cards, replicas, profile, "min"), 0, overhead);
    const minSize = Math.min(maxSize, Math.max(p.minNodes, atMin));
    return { instanceType: p.instanceType, minSize, desiredSize: minSize, maxSize };
}

/** RDS's default for Aurora PostgreSQL: LEAST(DBInstanceClassMemory / 9531392, 5000). */
export function auroraDefaultMaxConnections(instanceClass: string): number {
    const gib = rdsInstanceMemoryGiB[instanceClass];
    if (gib === undefined) {
        throw new Error(`unknown RDS instance class "${instanceClass}"; known: ${Object.keys(rdsInstanceMemoryGiB).join(", ")}`);
    }
    return Math.min(Math.floor((gib * 1024 ** 3) / 9531392), 5000);
}

/** The profile's max_connections against the instance class's ceiling: above it, RDS refuses the parameter. */
export function auroraMaxConnectionsFinding(db: string, aurora: Pick<AwsProfile["aurora"], "instanceClass" | "maxConnections">): Finding {
    const ceiling = auroraDefaultMaxConnections(aurora.instanceClass);
    const max = aurora.maxConnections;
    return max > ceiling
        ? finding("capacity/aurora-max-connections", "mandatory", db, `max_connections ${max} exceeds ${aurora.instanceClass}'s ceiling ${ceiling} (LEAST(DBInstanceClassMemory/9531392, 5000))`)
        : finding("capacity/aurora-max-connections", "info", db, `max_connections ${max} within ${aurora.instanceClass}'s ceiling ${ceiling}`);
}

/** Every role of the service that opens a pool to its database, at max replicas. */
export function dbClients(card: K8sServiceCard, replicas: ResolvedReplicas, environment: AwsProfile["environment"]): DbClient[] {
    return card.roles
        .filter((r) => r.dbPoolPerPod > 0)
        .map((r) => ({
            name: `${card.service}/${r.name}`,
            maxReplicas: (replicas[`${card.service}/${r.name}`] ?? r.replicas[environment]).max,
            poolPerReplica: r.dbPoolPerPod,
        }));
}

/**
 * Claims the documents make about fit, recomputed rather than assumed. seeds/000 §12: "8 api pods ×
 * 2 CPU, 6 worker pods × 2 CPU — well under cluster budget" (2 CPU is the LIMIT; requests are 500m).
 */
export const documentedFitClaims = [
    {
        source: "seeds/000 §12",
        service: "assignment-service",
        pods: [
            { role: "api", count: 8 },
            { role: "worker", count: 6 },
        ],
    },
] as const;

function pct(x: number): string {
    return `${Math.round(x * 1000) / 10}%`;
}

/** The documented fit claims against the prod pools' maximum allocatable CPU. */
export function fitClaimFindings(cards: readonly TopologyCard[], replicas: ResolvedReplicas, profile: AwsProfile, region: string): Finding[] {
    const out: Finding[] = [];
    for (const claim of documentedFitClaims) {
        const card = eksCards(cards).find((c) => c.service === claim.service);
        if (!card) {
            continue;
        }
        const parts: string[] = [];
        const byPool = new Map<NodePool, { limit: number; request: number }>();
        for (const p of claim.pods) {
            const role = card.roles.find((r) => r.name === p.role);
            if (!role) {
                continue;
            }
            const limit = p.count * cpuMillis(role.resources.cpuLimit);
            const request = p.count * cpuMillis(role.resources.cpuRequest);
            parts.push(`${p.count} ${p.role} × ${role.resources.cpuLimit} CPU limit (${role.resources.cpuRequest} request) on ${role.nodePool}`);
            const acc = byPool.get(role.nodePool) ?? { limit: 0, request: 0 };
            byPool.set(role.nodePool, { limit: acc.limit + limit, request: acc.request + request });
        }
        const verdicts: string[] = [];
        let fits = true;
        for (const [pool, need] of byPool) {
            const size = nodeGroupSize(pool, cards, replicas, profile);
            const capacity = allocatable(instanceShape(size.instanceType)).cpuMillis * size.maxSize;
            fits = fits && need.limit <= capacity;
            verdicts.push(
                `${pool} pool max ${size.maxSize} × ${size.instanceType} = ${capacity}m allocatable: limits ${need.limit}m (${pct(need.limit / capacity)}), requests ${need.request}m (${pct(need.request / capacity)})`,
            );
        }
        out.push(
            finding(
                "capacity/documented-fit-claim",
                fits ? "info" : "advisory",
                `${claim.service}@${region}`,
                `${claim.source}: ${parts.join("; ")} — ${verdicts.join("; ")}: ${fits ? "holds even at limits" : "exceeds the pool at limits (requests fit; bursts to the limit would contend)"}`,
            ),
        );
    }
    return out;
}

/**
 * Where the documents name something AWS cannot provision as written, the value chosen instead
 * (info findings, for the README).
 */
export function documentAdjustments(ctx: DeployContext, profile: AwsProfile): Finding[] {
    const out: Finding[] = [
        finding(
            "adjust/waf-rate-limits",
            "info",
            "edge-waf",
            `seeds/003 §7 asks for per-tenant and per-user edge rate limits without numbers (they live in API_CONTRACTS §8, not provided): ` +
                `WAF rate-based rules at ${profile.waf.perTenantLimit} requests / 5 min per x-tenant-id and ${profile.waf.perUserLimit} per Authorization header (and per IP for anonymous requests) in ${profile.environment}`,
        ),
    ];
    const progress = eksCards(ctx.catalog).find((c) => c.service === "progress-service" && c.database);
    if (progress) {
        const passive = ctx.config.aws.regions.some((r) => r.role === "passive");
        out.push(
            finding(
                "adjust/aurora-wal-archive",
                "info",
                `${progress.service}-db`,
                `seeds/003 §4/§11 "WAL archive continuous to S3 cross-region" (RPO 5 min): Aurora exposes no WAL archive; its continuous backup gives point-in-time recovery to the last ~5 min for ${ctx.profile.backupRetentionDays} days in-region` +
                    (passive ? ", and the Aurora global database replicates storage to the passive region (typical lag < 1 s)" : "; this stack has no passive region, so no cross-region copy is made"),
            ),
        );
    }
    return out;
}

/** Every AWS capacity finding of a stack: per region, node pools; per active region × database, the connection budget. */
export function awsCapacityFindings(ctx: DeployContext): Finding[] {
    const profile = awsProfiles[ctx.config.environment];
    const cards = eksCards(ctx.catalog);
    const out: Finding[] = [];
    const hasPassive = ctx.config.aws.regions.some((r) => r.role === "passive");
    // The first active region is the global primary the passive regions replicate (stacks/aws.ts).
    const primary = ctx.config.aws.regions.find((r) => r.role === "active")?.region;
    out.push(...documentAdjustments(ctx, profile));
    if (cards.length > 0) {
        out.push(...jetStreamFindings(ctx, cards, profile), ...cdnFindings(ctx));
    }
    for (const region of ctx.config.aws.regions) {
        for (const pool of nodePools) {
            const size = nodeGroupSize(pool, cards, ctx.replicas, profile);
            out.push(
                poolFitFinding(
                    poolFit({
                        pool: `${pool}@${region.region}`,
                        instanceType: size.instanceType,
                        shape: instanceShape(size.instanceType),
                        maxNodes: size.maxSize,
                        workloads: poolWorkloads(pool, cards, ctx.replicas, profile),
                        perNode: nodeOverhead(profile),
                    }),
                ),
            );
        }
        if (profile.environment === "prod") {
            out.push(...fitClaimFindings(cards, ctx.replicas, profile, region.region));
        }
        if (region.role !== "active") {
            continue;
        }
        for (const card of cards.filter((c) => c.database)) {
            const db = `${card.service}-db@${region.region}`;
            const max = profile.aurora.maxConnections;
            out.push(auroraMaxConnectionsFinding(db, profile.aurora));
            const reserved = card.database?.reservedConnections ?? 0;
            out.push(connectionBudgetFinding(connectionBudget({ database: db, maxConnections: max, reserved, clients: dbClients(card, ctx.replicas, profile.environment) })));
            if (card.database?.pooled) {
                const pooler = poolerProfiles[profile.environment];
                out.push(poolerServerFinding(db, max, reserved, pooler), poolerClientFinding(db, dbClients(card, ctx.replicas, profile.environment), max, pooler));
            }
            if (hasPassive && region.region === primary) {
                out.push(
                    finding(
                        "adjust/aurora-global-master-password",
                        "info",
                        db,
                        "Aurora global databases do not support RDS-managed master passwords (manageMasterUserPassword): the master password comes from @pulumi/random and is kept in Secrets Manager (secrets key); applications use IAM auth",
                    ),
                );
            }
        }
    }
    return out;
}
