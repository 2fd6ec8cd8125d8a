import { catalog } from "./index";
import { TopologyCard } from "./types";
import { subjectPrefixOf } from "../broker";

/**
 * A synthetic catalog for the scaling benchmark: each service repeated `factor` times under new
 * names (`assignment-service-x2`, namespace `assignment-x2`, ...). Selected by the environment
 * variable PLAN_CATALOG_FACTOR (the benchmark sets it); a normal run uses the real catalog.
 */
export function syntheticCatalog(factor: number, base: readonly TopologyCard[] = catalog): TopologyCard[] {
    const out: TopologyCard[] = [...base];
    // A copy publishes and consumes its own copy-set's subjects (`assignment-service-x2.…`): one stream per
    // subject and each service under its own prefix, as the broker rules require of real services.
    const prefixes = base.map((c) => subjectPrefixOf(c.service));
    for (let i = 2; i <= factor; i++) {
        const suffix = `-x${i}`;
        const renamed = (subject: string): string => {
            const p = prefixes.find((x) => subject.startsWith(`${x}.`));
            return p ? `${subjectPrefixOf(`${p}-service${suffix}`)}${subject.slice(p.length)}` : subject;
        };
        for (const card of base) {
            const data = { ...card.data, publishes: card.data.publishes.map(renamed), consumes: card.data.consumes.map(renamed) };
            if (card.platform === "eks") {
                out.push({ ...card, data, service: card.service + suffix, namespace: card.namespace + suffix, imageKey: card.imageKey, database: card.database && { ...card.database, name: card.database.name + suffix.replace("-", "_") } });
            } else {
                out.push({ ...card, data, service: card.service + suffix });
            }
        }
    }
    // The copies of a Cloud Run service's callers call the original (their cross-cloud dependency names it): admit them too.
    const copies = (service: string) => [service, ...Array.from({ length: Math.max(0, factor - 1) }, (_, k) => `${service}-x${k + 2}`)];
    return out.map((c) => (c.platform === "cloud-run" ? { ...c, inbound: c.inbound.flatMap((i) => copies(i.service).map((service) => ({ ...i, service }))) } : c));
}

/** The real service a benchmark copy repeats (`assignment-service-x2` → `assignment-service`); a real service is its own. */
export function baseServiceOf(service: string): string {
    return service.replace(/-x\d+$/, "");
}

export function activeCatalog(): readonly TopologyCard[] {
    const factor = Number(process.env.PLAN_CATALOG_FACTOR ?? "1");
    return Number.isInteger(factor) && factor > 1 ? syntheticCatalog(factor) : catalog;
}
