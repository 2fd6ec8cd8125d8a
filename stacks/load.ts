import * as pulumi from "@pulumi/pulumi";
import { catalog } from "../data/catalog";
import { TopologyCard } from "../data/catalog/types";
import { PROJECT, StackConfig, catalogRequirements, parseStackConfig } from "../data/config";


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
