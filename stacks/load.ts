import * as pulumi from "@pulumi/pulumi";
import { catalog } from "../data/catalog";
import { TopologyCard } from "../data/catalog/types";
import { CatalogRequirements, PROJECT, StackConfig, parseStackConfig } from "../data/config";

/** Image keys the platform itself needs besides the services' own. */
export const platformImageKeys = ["pgbouncer"] as const;

/** What the catalog asks of every stack's config. */
export function catalogRequirements(cards: readonly TopologyCard[] = catalog): CatalogRequirements {
    return {
        imageKeys: [...new Set([...cards.map((c) => c.imageKey), ...platformImageKeys])],
        roles: cards.flatMap((c) => c.roles.map((r) => `${c.service}/${r.name}`)),
    };
}

/**
 * Reads this stack's project config from the Pulumi runtime (the one read in the program) and
 * validates it. Structured values arrive as JSON strings.
 */
export function loadStackConfig(cards: readonly TopologyCard[] = catalog): StackConfig {
    const raw: Record<string, unknown> = {};
    const prefix = `${PROJECT}:`;
    for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) {
        if (!k.startsWith(prefix)) {
            continue;
        }
        raw[k.slice(prefix.length)] = parseValue(v);
    }
    return parseStackConfig(pulumi.getStack(), raw, catalogRequirements(cards));
}

function parseValue(v: string): unknown {
    const t = v.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
        try {
            return JSON.parse(t);
        } catch {
            return v;
        }
    }
    return v;
}
