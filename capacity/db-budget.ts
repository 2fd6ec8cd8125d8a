import { Finding, finding } from "../data/findings";

/** One client of a database: a role whose every pod (or instance) opens a pool. */
export interface DbClient {
    /** `service/role`. */
    readonly name: string;
    readonly maxReplicas: number;
    readonly poolPerReplica: number;
}

export interface DbBudgetInput {
    /** The database (cluster or instance logical name). */
    readonly database: string;
    /** The connection ceiling: `max_connections` of the parameter group, or PgBouncer's client limit. */
    readonly maxConnections: number;
    /** Connections kept back for admin, replication and migrations. */
    readonly reserved: number;
    readonly clients: readonly DbClient[];
}

export interface DbBudgetResult {
    readonly database: string;
    /** Σ max replicas × pool. */
    readonly demand: number;
    /** maxConnections − reserved. */
    readonly budget: number;
    readonly fits: boolean;
    /** budget − demand (negative when over). */
    readonly margin: number;
    readonly shares: readonly { readonly name: string; readonly connections: number; readonly percent: number }[];
}

/** The case study's §15 arithmetic: total = Σ max replicas × pool per pod, against the budget. */
export function connectionBudget(input: DbBudgetInput): DbBudgetResult {
    const shares = input.clients.map((c) => ({ name: c.name, connections: c.maxReplicas * c.poolPerReplica }));
    const demand = shares.reduce((s, c) => s + c.connections, 0);
    const budget = input.maxConnections - input.reserved;
    return {
        database: input.database,
        demand,
        budget,
        fits: demand <= budget,
        margin: budget - demand,
        shares: shares
            .map((s) => ({ ...s, percent: demand === 0 ? 0 : Math.round((s.connections / demand) * 1000) / 10 }))
            .sort((a, b) => b.connections - a.connections),
    };
}

/** The finding for a budget: mandatory when it does not fit, naming every client and its share. */
export function connectionBudgetFinding(result: DbBudgetResult, ruleId = "capacity/db-connection-budget"): Finding {
    const list = result.shares.map((s) => `${s.name} ${s.connections} (${s.percent}%)`).join(", ");
    if (!result.fits) {
        return finding(
            ruleId,
            "mandatory",
            result.database,
            `connection demand ${result.demand} exceeds the budget ${result.budget} by ${-result.margin}: ${list}`,
        );
    }
    return finding(ruleId, "info", result.database, `connection demand ${result.demand} of budget ${result.budget} (margin ${result.margin}): ${list}`);
}
