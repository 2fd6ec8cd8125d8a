import { Environment, PerEnv } from "../catalog/types";

/**
 * The AWS connection pooler (RDS Proxy) per environment: its default target group's pool and its
 * timeouts. Stack files never size it; the capacity model checks both sides against these numbers.
 */
export interface PoolerProfile {
    /**
     * Server side: the proxy opens at most this percent of the writer's `max_connections`
     * (ProxyDefaultTargetGroup `maxConnectionsPercent`). Must leave the card's reserved connections.
     */
    readonly maxConnectionsPercent: number;
    /** Idle server connections the proxy keeps, percent of `max_connections` (≤ maxConnectionsPercent). */
    readonly maxIdleConnectionsPercent: number;
    /** Seconds a client waits for a server connection before the proxy fails its request (`connectionBorrowTimeout`). */
    readonly borrowTimeoutSeconds: number;
    /** Seconds an idle client connection stays open (`idleClientTimeout`; 30 min, the drivers' pools recycle sooner). */
    readonly idleClientTimeoutSeconds: number;
    /**
     * Client side: client connections (Σ max replicas × pool) per server connection the design accepts.
     * Ours: transaction multiplexing serves many idle pool connections per backend, but a pinned session
     * (SET, advisory locks, temp tables, named prepared statements) holds one backend for its lifetime;
     * above this ratio a pinning bug would exhaust the pool. RDS Proxy itself documents no client quota.
     */
    readonly maxClientsPerServerConnection: number;
}

export const poolerProfiles: PerEnv<PoolerProfile> = {
    dev: { maxConnectionsPercent: 85, maxIdleConnectionsPercent: 40, borrowTimeoutSeconds: 30, idleClientTimeoutSeconds: 1800, maxClientsPerServerConnection: 4 },
    staging: { maxConnectionsPercent: 85, maxIdleConnectionsPercent: 40, borrowTimeoutSeconds: 30, idleClientTimeoutSeconds: 1800, maxClientsPerServerConnection: 4 },
    prod: { maxConnectionsPercent: 85, maxIdleConnectionsPercent: 40, borrowTimeoutSeconds: 30, idleClientTimeoutSeconds: 1800, maxClientsPerServerConnection: 4 },
};

export function poolerProfileOf(environment: Environment): PoolerProfile {
    return poolerProfiles[environment];
}
