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
    // The copies of a Cloud Run service's callers call the original (their cross-cloud dependency names it): admit them too.
    const copies = (service: string) => [service, ...Array.from({ length: Math.max(0, factor - 1) }, (_, k) => `${service}-x${k + 2}`)];
    return out.map((c) => (c.platform === "cloud-run" ? { ...c, inbound: c.inbound.flatMap((i) => copies(i.service).map((service) => ({ ...i, service }))) } : c));
}

export function activeCatalog(): readonly TopologyCard[] {
    const factor = Number(process.env.PLAN_CATALOG_FACTOR ?? "1");
    return Number.isInteger(factor) && factor > 1 ? syntheticCatalog(factor) : catalog;
}
