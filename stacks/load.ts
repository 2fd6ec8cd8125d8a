import * as pulumi from "@pulumi/pulumi";
import { catalog } from "../data/catalog";
import { TopologyCard } from "../data/catalog/types";
import { PROJECT, StackConfig, catalogRequirements, parseStackConfig } from "../data/config";


/**
 * Reads this stack's project config from the Pulumi runtime (the one read in the program) and
 * validates it. Structured values arrive as JSON strings.
 */
export function loadStackConfig(cards: readonly TopologyCard[] = catalog): StackConfig {
    return parseStackConfig(pulumi.getStack(), readProjectConfig(PROJECT), catalogRequirements(cards));
}

/** A project's config from the Pulumi runtime, keys without the `<project>:` prefix; structured values parsed. */
export function readProjectConfig(project: string): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    const prefix = `${project}:`;
    for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) {
        if (k.startsWith(prefix)) {
            raw[k.slice(prefix.length)] = parseValue(v);
        }
    }
    return raw;
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
