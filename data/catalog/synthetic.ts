import { catalog } from "./index";
import { TopologyCard } from "./types";

/**
 * A synthetic catalog for the scaling benchmark: each service repeated `factor` times under new
 * names (`assignment-service-x2`, namespace `assignment-x2`, ...). Selected by the environment
 * variable PLAN_CATALOG_FACTOR (the benchmark sets it); a normal run uses the real catalog.
 */
export function syntheticCatalog(factor: number, base: readonly TopologyCard[] = catalog): TopologyCard[] {
    const out: TopologyCard[] = [...base];
    for (let i = 2; i <= factor; i++) {
        for (const card of base) {
            const suffix = `-x${i}`;
            if (card.platform === "eks") {
                out.push({ ...card, service: card.service + suffix, namespace: card.namespace + suffix, imageKey: card.imageKey, database: card.database && { ...card.database, name: card.database.name + suffix.replace("-", "_") } });
            } else {
                out.push({ ...card, service: card.service + suffix });
            }
        }
    }
    return out;
}

export function activeCatalog(): readonly TopologyCard[] {
    const factor = Number(process.env.PLAN_CATALOG_FACTOR ?? "1");
    return Number.isInteger(factor) && factor > 1 ? syntheticCatalog(factor) : catalog;
}
