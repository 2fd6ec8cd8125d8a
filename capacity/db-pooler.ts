import type { K8sServiceCard } from "../data/catalog/types";
import { Finding, finding } from "../data/findings";
import { PoolerProfile } from "../data/profiles/pooler";
import { DbClient } from "./db-budget";

/**
 * Both sides of the AWS connection pooler (RDS Proxy, seeds 002 §4 / 003 §5) in the §15 arithmetic
 * of seed 004: the proxy's server pool against the writer's `max_connections`, and the clients
 * (Σ max replicas × pool per pod) against what the pool serves. Pure: no Pulumi.
 */

/** Server connections the proxy may open: floor(max_connections × maxConnectionsPercent / 100). */
export function poolerServerConnections(maxConnections: number, p: PoolerProfile): number {
    return Math.floor((maxConnections * p.maxConnectionsPercent) / 100);
}

/** The server side: the proxy's pool must leave the card's reserved connections (admin, replication, migrations). */
export function poolerServerFinding(db: string, maxConnections: number, reserved: number, p: PoolerProfile): Finding {
    const pool = poolerServerConnections(maxConnections, p);
    const budget = maxConnections - reserved;
    const margin = budget - pool;
    return finding(
        "capacity/aws-pooler-server",
        margin >= 0 ? "info" : "mandatory",
        db,
        `RDS Proxy server pool ${p.maxConnectionsPercent}% of max_connections ${maxConnections} = ${pool} vs ${maxConnections} − ${reserved} reserved = ${budget} (margin ${margin})`,
    );
}

/**
 * The client side: Σ max replicas × pool. Up to the server pool, every client connection could even
 * be pinned; above it the proxy multiplexes transactions (advisory: a pinning regression exhausts the
 * pool and clients wait `borrowTimeoutSeconds`); above the design ratio it fails.
 */
export function poolerClientFinding(db: string, clients: readonly DbClient[], maxConnections: number, p: PoolerProfile): Finding {
    const demand = clients.reduce((s, c) => s + c.maxReplicas * c.poolPerReplica, 0);
    const pool = poolerServerConnections(maxConnections, p);
    const ceiling = pool * p.maxClientsPerServerConnection;
    const ratio = pool === 0 ? Infinity : Math.round((demand / pool) * 100) / 100;
    const list = clients.map((c) => `${c.name} ${c.maxReplicas} × ${c.poolPerReplica} = ${c.maxReplicas * c.poolPerReplica}`).join(", ");
    const severity = demand > ceiling ? "mandatory" : demand > pool ? "advisory" : "info";
    const verdict =
        severity === "info"
            ? "every client connection fits the server pool even if pinned"
            : severity === "advisory"
              ? `the proxy multiplexes ${ratio} clients per server connection: pinned sessions beyond ${pool} wait up to ${p.borrowTimeoutSeconds} s`
              : `over the design ceiling ${pool} × ${p.maxClientsPerServerConnection} = ${ceiling} client connections`;
    return finding("capacity/aws-pooler-clients", severity, db, `clients Σ max replicas × pool = ${demand} (${list}) vs RDS Proxy server pool ${pool} (ratio ${ratio}): ${verdict}`);
}

/** Cards whose database goes through the pooler. */
export function pooledCards(cards: readonly K8sServiceCard[]): K8sServiceCard[] {
    return cards.filter((c) => c.database?.pooled === true);
}
