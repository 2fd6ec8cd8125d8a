import type { Environment, K8sRole, K8sServiceCard, NodePool, ReplicaRange, TopologyCard } from "../data/catalog/types";
import { environments } from "../data/catalog/types";
import type { DeployContext } from "../data/context";
import { awsProfiles } from "../data/profiles/aws";
import type { ResolvedReplicas } from "../data/replicas";
import { NodeGroupSize, dbClients, instanceShape, nodeGroupSize, poolWorkloads } from "./aws";
import { connectionBudget } from "./db-budget";
import { Finding, finding } from "../data/findings";
import { allocatable } from "./instances";
import { cpuMillis, memoryMiB } from "./quantities";

/**
 * The workload side of the capacity model (pure; no Pulumi): HPA maximums bounded by what sits
 * downstream (case study §27.2: the database connection budget, the node pool), PodDisruptionBudgets
 * below every environment's minimum, and the places the documents' numbers were adjusted.
 */

/** The PodDisruptionBudget a role gets in one environment. */
export interface DisruptionBudget {
    readonly minAvailable: number;
    /** The document's value, when it fixes one. */
    readonly documented?: number;
    /** True when the document's value had to be lowered to stay below the environment's min replicas. */
    readonly adjusted: boolean;
}

/**
 * The one PodDisruptionBudget rule: minAvailable stays at most min − 1, so a voluntary disruption
 * (a node drain) is always possible. `disruptionBudget` derives every budget under this ceiling and
 * `pdbBelowMinFinding` checks a budget against it: one rule, not a cap and a separate check.
 */
export function pdbCeiling(range: ReplicaRange): number {
    return range.min - 1;
}

/** The mandatory finding for a budget above the rule's ceiling; undefined when the budget keeps to it. */
export function pdbBelowMinFinding(subject: string, environment: Environment, budget: DisruptionBudget | undefined, range: ReplicaRange): Finding | undefined {
    if (!budget || budget.minAvailable <= pdbCeiling(range)) {
        return undefined;
    }
    return finding("capacity/pdb-below-min", "mandatory", subject, `${environment}: PDB minAvailable ${budget.minAvailable} ≥ min replicas ${range.min}: no voluntary disruption is possible`);
}

/**
 * PDB for a long-running role with more than one replica at its minimum (none otherwise: a budget
 * over a single pod either blocks every drain or protects nothing). `minAvailable` is the
 * document's value where it gives one, else the ceiling, and never above the ceiling (in dev the
 * smaller counts win).
 */
export function disruptionBudget(role: Pick<K8sRole, "runtime" | "pdbMinAvailable">, range: ReplicaRange): DisruptionBudget | undefined {
    if (role.runtime === "cronjob" || range.min <= 1) {
        return undefined;
    }
    const ceiling = pdbCeiling(range);
    const minAvailable = Math.max(1, Math.min(role.pdbMinAvailable ?? ceiling, ceiling));
    return {
        minAvailable,
        documented: role.pdbMinAvailable,
        adjusted: role.pdbMinAvailable !== undefined && role.pdbMinAvailable !== minAvailable,
    };
}

function eksCards(cards: readonly TopologyCard[]): K8sServiceCard[] {
    return cards.filter((c): c is K8sServiceCard => c.platform === "eks");
}

const key = (card: K8sServiceCard, role: K8sRole) => `${card.service}/${role.name}`;

/** One database client role and the maximum the connection budget leaves it. */
export interface DbShare {
    readonly role: string;
    readonly maxReplicas: number;
    readonly poolPerPod: number;
    /** floor((budget − the other roles at their max) / pool per pod). */
    readonly allowedMax: number;
    /** floor((budget − the other roles at their min) / pool per pod): above this the role alone breaks the budget. */
    readonly allowedMaxAlone: number;
}

export function dbShares(card: K8sServiceCard, replicas: ResolvedReplicas, environment: Environment, maxConnections: number): { budget: number; demand: number; shares: DbShare[] } {
    // The same clients and arithmetic as the per-cluster budget (capacity/aws.ts, db-budget.ts).
    const clients = dbClients(card, replicas, environment);
    const { budget, demand } = connectionBudget({ database: card.service, maxConnections, reserved: card.database?.reservedConnections ?? 0, clients });
    const minOf = (name: string) => replicas[name]?.min ?? 0;
    const floor = clients.reduce((s, c) => s + minOf(c.name) * c.poolPerReplica, 0);
    return {
        budget,
        demand,
        shares: clients.map((c) => ({
            role: c.name,
            maxReplicas: c.maxReplicas,
            poolPerPod: c.poolPerReplica,
            allowedMax: Math.floor((budget - (demand - c.maxReplicas * c.poolPerReplica)) / c.poolPerReplica),
            allowedMaxAlone: Math.floor((budget - (floor - minOf(c.name) * c.poolPerReplica)) / c.poolPerReplica),
        })),
    };
}

/**
 * HPA maximums against the service's database connection budget (`max_connections` from the AWS
 * profile minus the card's reservation): every role at its max must fit together. When they do
 * not, an advisory names every role with its connections and the max each could have with the
 * others at theirs (the sum over budget is already capacity/db-connection-budget's mandatory
 * finding); a role whose max breaks the budget even with the others at their minimum is a
 * mandatory finding of its own, a fault the sum does not show.
 */
export function dbBoundFindings(cards: readonly TopologyCard[], replicas: ResolvedReplicas, environment: Environment, maxConnections: number): Finding[] {
    const out: Finding[] = [];
    for (const card of eksCards(cards).filter((c) => c.database)) {
        const { budget, demand, shares } = dbShares(card, replicas, environment, maxConnections);
        const base = `${card.service}'s ${environment} connection budget ${budget} (max_connections ${maxConnections} − ${card.database?.reservedConnections ?? 0} reserved)`;
        const byDemand = [...shares].sort((a, b) => b.maxReplicas * b.poolPerPod - a.maxReplicas * a.poolPerPod);
        if (demand <= budget) {
            const list = shares.map((s) => `${s.role.split("/")[1]} ${s.maxReplicas}×${s.poolPerPod} (budget allows ${s.allowedMax})`).join(", ");
            out.push(finding("capacity/hpa-max-db-budget", "info", `${card.service}-db`, `every HPA maximum fits ${base}: demand ${demand}, ${list}`));
            continue;
        }
        const list = byDemand.map((s) => `${s.role} ${s.maxReplicas}×${s.poolPerPod} = ${s.maxReplicas * s.poolPerPod} (fits at most ${Math.max(0, s.allowedMax)})`).join(", ");
        // The sum over budget is capacity/db-connection-budget's mandatory finding (per region); this
        // one adds what each role's maximum could be, so the same fault is not failed twice.
        out.push(
            finding("capacity/hpa-max-db-budget", "advisory", `${card.service}-db`, `HPA maximums open ${demand} connections, over ${base} by ${demand - budget} (see capacity/db-connection-budget): ${list}`),
        );
        for (const s of shares.filter((x) => x.maxReplicas > x.allowedMaxAlone)) {
            out.push(
                finding(
                    "capacity/hpa-max-db-budget",
                    "mandatory",
                    s.role,
                    `max replicas ${s.maxReplicas} × pool ${s.poolPerPod} alone break ${base}: at most ${Math.max(0, s.allowedMaxAlone)} fit even with the other roles at their minimum`,
                ),
            );
        }
    }
    return out;
}

/**
 * HPA maximums against the node pool each role runs on, at the pool's maximum size. `sizeOf` is
 * the node group the EKS component creates (`nodeGroupSize`, which already holds every max with
 * headroom, so with it the check guards that sizing); a test passes a smaller group to see it fire.
 */
export function poolBoundFindings(
    cards: readonly TopologyCard[],
    replicas: ResolvedReplicas,
    environment: Environment,
    sizeOf: (pool: NodePool) => NodeGroupSize = (pool) => nodeGroupSize(pool, eksCards(cards), replicas, awsProfiles[environment]),
): Finding[] {
    const profile = awsProfiles[environment];
    const out: Finding[] = [];
    const eks = eksCards(cards);
    const pools = new Set<NodePool>(eks.flatMap((c) => c.roles.map((r) => r.nodePool)));
    for (const pool of pools) {
        const size = sizeOf(pool);
        const node = allocatable(instanceShape(size.instanceType));
        const workloads = poolWorkloads(pool, eks, replicas, profile);
        const capCpu = node.cpuMillis * size.maxSize;
        const capMem = node.memoryMiB * size.maxSize;
        const totalCpu = workloads.reduce((s, w) => s + w.maxReplicas * w.cpuMillis, 0);
        const totalMem = workloads.reduce((s, w) => s + w.maxReplicas * w.memoryMiB, 0);
        for (const card of eks) {
            for (const role of card.roles.filter((r) => r.nodePool === pool)) {
                const cpu = cpuMillis(role.resources.cpuRequest);
                const mem = memoryMiB(role.resources.memoryRequest);
                const max = replicas[key(card, role)]?.max ?? 0;
                if (cpu > node.cpuMillis || mem > node.memoryMiB) {
                    out.push(finding("capacity/pod-fits-node", "mandatory", key(card, role), `one pod requests ${cpu}m / ${mem}Mi, more than a ${size.instanceType} node's allocatable ${node.cpuMillis}m / ${node.memoryMiB}Mi`));
                    continue;
                }
                const allowed = Math.min(Math.floor((capCpu - (totalCpu - max * cpu)) / cpu), Math.floor((capMem - (totalMem - max * mem)) / mem));
                if (max > allowed) {
                    out.push(
                        finding(
                            "capacity/hpa-max-node-pool",
                            "mandatory",
                            key(card, role),
                            `max replicas ${max} do not fit the ${pool} pool at its max ${size.maxSize} × ${size.instanceType} with the other workloads at max: at most ${Math.max(0, allowed)}`,
                        ),
                    );
                }
            }
        }
    }
    return out;
}

/**
 * Every role's budget in every environment against the PDB rule, and the document's budgets the
 * rule lowered. `budgetOf` is the budget the workloads get (the ServiceWorkload component calls
 * `disruptionBudget`); a test passes another to see the check fire.
 */
export function disruptionFindings(
    cards: readonly TopologyCard[],
    replicas: ResolvedReplicas,
    environment: Environment,
    budgetOf: typeof disruptionBudget = disruptionBudget,
): Finding[] {
    const out: Finding[] = [];
    for (const card of eksCards(cards)) {
        for (const role of card.roles) {
            for (const env of environments) {
                // The stack's own environment uses its resolved (possibly overridden) ranges.
                const range = env === environment ? (replicas[key(card, role)] ?? role.replicas[env]) : role.replicas[env];
                const budget = budgetOf(role, range);
                const violation = pdbBelowMinFinding(key(card, role), env, budget, range);
                if (violation) {
                    out.push(violation);
                }
                if (env !== environment || role.pdbMinAvailable === undefined) {
                    continue;
                }
                if (!budget) {
                    if (role.runtime !== "cronjob") {
                        out.push(
                            finding(
                                "adjust/pdb-min-available",
                                "info",
                                key(card, role),
                                `${env}: the document's PDB minAvailable ${role.pdbMinAvailable} cannot hold at a minimum of ${range.min} replica(s); no PDB (a budget on one pod would block every node drain)`,
                            ),
                        );
                    }
                } else if (budget.adjusted) {
                    out.push(
                        finding(
                            "adjust/pdb-min-available",
                            "info",
                            key(card, role),
                            `${env}: the document's PDB minAvailable ${role.pdbMinAvailable} is not below the minimum of ${range.min} replicas; minAvailable ${budget.minAvailable} keeps one voluntary disruption possible`,
                        ),
                    );
                }
            }
        }
    }
    return out;
}

/** Documented numbers and strategies the workloads could not take as written, and what they do instead. */
export const workloadAdjustments: readonly { readonly service: string; readonly ruleId: string; readonly message: string }[] = [
    {
        service: "authoring-service/collab",
        ruleId: "adjust/collab-release",
        message:
            "seeds/002 §8 \"drain sessions (notify clients 5 min before) → recreate\": a rolling update (maxUnavailable 0, maxSurge 1) with terminationGracePeriodSeconds 330 (300 s notice + 30 s close) drains and recreates one pod at a time instead of all at once; the consistent hash moves only the drained pod's drafts",
    },
    {
        service: "authoring-service/api",
        ruleId: "adjust/blue-green",
        message:
            "seeds/002 §8 and seeds/003 §10 \"blue/green for API\": no progressive-delivery controller is installed; the Deployment rolls with maxUnavailable 0 / maxSurge 1 (full capacity throughout, one new pod at a time), and blue/green remains a release-pipeline step",
    },
    {
        service: "progress-service/outbox-relay",
        ruleId: "adjust/progress-undocumented-resources",
        message: "seeds/003 §3 gives no resources for outbox-relay and partition-manager: outbox-relay 250m/1000m CPU, 256Mi/512Mi; partition-manager 100m/500m, 128Mi/256Mi",
    },
];

/** Every workload capacity finding of a stack. */
export function workloadCapacityFindings(ctx: DeployContext): Finding[] {
    const environment = ctx.config.environment;
    const present = new Set(eksCards(ctx.catalog).map((c) => c.service));
    return [
        ...dbBoundFindings(ctx.catalog, ctx.replicas, environment, awsProfiles[environment].aurora.maxConnections),
        ...poolBoundFindings(ctx.catalog, ctx.replicas, environment),
        ...disruptionFindings(ctx.catalog, ctx.replicas, environment),
        ...workloadAdjustments.filter((a) => present.has(a.service.split("/")[0])).map((a) => finding(a.ruleId, "info", a.service, a.message)),
    ];
}
