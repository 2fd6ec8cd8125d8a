import { GcpProfile, pgbouncerServerPools } from "../../data/profiles/gcp";

/** PgBouncer's pool arithmetic: pure (no Pulumi), shared by the component and the capacity model. */

export interface PgBouncerSettings {
    /** `max_client_conn` per instance. */
    readonly maxClientConnPerInstance: number;
    /** `default_pool_size` per instance (server connections to Cloud SQL). */
    readonly defaultPoolSize: number;
    /** Σ server connections over all instances. */
    readonly serverConnections: number;
    /** Σ server connections during a rolling replace: the instances plus one surge VM per zone. */
    readonly rolloutServerConnections: number;
}

/**
 * PgBouncer's pool arithmetic (seed 001 §4.1): 800 client connections split over the fixed
 * instances, and a server pool that fits inside `max_connections` minus the reserved connections
 * even while a rolling replace runs the surge VMs beside the old ones.
 */
export function pgbouncerSettings(p: GcpProfile["pgbouncer"], sql: GcpProfile["sql"]): PgBouncerSettings {
    if (p.instances < 1) {
        throw new Error("PgBouncer needs at least one instance");
    }
    if (p.zones < 1) {
        throw new Error("PgBouncer's instance group needs at least one zone");
    }
    const pools = pgbouncerServerPools(p);
    const budget = sql.maxConnections - sql.reservedConnections;
    if (pools.rollout > budget) {
        throw new Error(
            `PgBouncer server pool during a rolling replace (${p.instances} + ${p.zones} surge) × ${p.serverPoolPerInstance} = ${pools.rollout} exceeds max_connections ${sql.maxConnections} − reserved ${sql.reservedConnections} = ${budget}`,
        );
    }
    return { maxClientConnPerInstance: Math.floor(p.maxClientConnections / p.instances), defaultPoolSize: p.serverPoolPerInstance, serverConnections: pools.steady, rolloutServerConnections: pools.rollout };
}
