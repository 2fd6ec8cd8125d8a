import { EvaluatedItem, Status } from "./checklist";
import { AURORA, CLOUD_SQL, PlanIndex, Placement, arr, obj, str } from "./model";

/**
 * One stack's figures for the side-by-side (`out/review/stacks.md`): regions, node pools, replicas
 * per role, databases, protection, the checklist's tally and the costs the plan knows (the GCP
 * budget; AWS costs are not in the plan).
 */
export interface StackSummary {
    readonly stack: string;
    readonly regions: readonly string[];
    readonly resources: number;
    readonly nodePools: readonly string[];
    /** `service/role` → `min–max` per region, e.g. `us-east-1 4–24`. */
    readonly replicas: Readonly<Record<string, string>>;
    readonly databases: readonly string[];
    readonly protectedResources: number;
    readonly deletionProtected: number;
    readonly costs: readonly string[];
    readonly checklist: Readonly<Record<Status, number>>;
}

const range = (min: number | null, max: number | null) => (min === max ? `${min ?? "?"}` : `${min ?? "?"}–${max ?? "?"}`);

export function summarize(stack: string, index: PlanIndex, placements: readonly Placement[], items: readonly EvaluatedItem[]): StackSummary {
    const regions = [...new Set(placements.map((p) => `${p.platform === "eks" ? "aws" : "gcp"} ${p.region}`))].sort();
    const nodePools = index.of("aws:eks/nodeGroup:NodeGroup").map((g) => {
        const i = obj(g.inputs);
        const s = obj(i.scalingConfig);
        return `${g.region ?? "?"} ${str(obj(i.labels)["platform.melmastoon.com/pool"]) ?? g.name}: ${arr(i.instanceTypes).join("/")} ${range(s.minSize as number, s.maxSize as number)} nodes`;
    });
    const replicas: Record<string, string> = {};
    for (const p of placements) {
        for (const r of p.roles) {
            const key = `${p.service}/${r.role}`;
            const here = range(r.minReplicas, r.maxReplicas);
            replicas[key] = replicas[key] ? `${replicas[key]}; ${p.region} ${here}` : `${p.region} ${here}`;
        }
    }
    const databases = [
        ...index.of(AURORA).map((c) => `${c.region ?? "?"} ${str(obj(c.inputs).clusterIdentifier) ?? c.name}`),
        ...index.of(CLOUD_SQL).map((d) => `${str(obj(d.inputs).region) ?? "?"} ${str(obj(d.inputs).name) ?? d.name} (${str(obj(obj(d.inputs).settings).tier) ?? "?"}${obj(d.inputs).masterInstanceName ? ", replica" : ""})`),
    ];
    const costs = index.of("gcp:billing/budget:Budget").map((b) => {
        const amount = obj(obj(obj(b.inputs).amount).specifiedAmount);
        return `GCP monthly budget ${str(amount.units) ?? "?"} ${str(amount.currencyCode) ?? ""} (${str(obj(b.inputs).displayName) ?? b.name})`.trim();
    });
    const tally = (s: Status) => items.filter((i) => i.status === s).length;
    return {
        stack,
        regions,
        resources: index.resources.length,
        nodePools,
        replicas,
        databases,
        protectedResources: index.resources.filter((r) => r.protect).length,
        deletionProtected: index.resources.filter((r) => obj(r.inputs).deletionProtection === true).length,
        costs,
        checklist: { pass: tally("pass"), fail: tally("fail"), "not-applicable": tally("not-applicable"), "not-automatable": tally("not-automatable") },
    };
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, "<br>");

/** The side-by-side of all stacks as markdown tables: one column per stack. */
export function renderStacks(summaries: readonly StackSummary[]): string {
    const head = `| | ${summaries.map((s) => s.stack).join(" | ")} |`;
    const rule = `|---|${summaries.map(() => "---").join("|")}|`;
    const row = (name: string, f: (s: StackSummary) => string) => `| ${name} | ${summaries.map((s) => cell(f(s))).join(" | ")} |`;
    const keys = [...new Set(summaries.flatMap((s) => Object.keys(s.replicas)))].sort();
    return [
        "# Stacks side by side",
        "",
        "Written by `npm run plan` from each stack's plan (out/<stack>/review/summary.json). Costs: what the plan registers (the GCP billing budget); AWS costs are not in the plan.",
        "",
        head,
        rule,
        row("regions", (s) => s.regions.join(", ")),
        row("resources", (s) => String(s.resources)),
        row("EKS node pools", (s) => s.nodePools.join("\n") || "none"),
        row("databases", (s) => s.databases.join("\n") || "none"),
        row("protected (Pulumi protect)", (s) => String(s.protectedResources)),
        row("deletion protection on", (s) => String(s.deletionProtected)),
        row("costs", (s) => s.costs.join("\n") || "not known to the plan"),
        row("§26 checklist", (s) => `${s.checklist.pass} pass, ${s.checklist.fail} fail, ${s.checklist["not-applicable"]} n/a, ${s.checklist["not-automatable"]} not automatable`),
        "",
        "## Replicas (min–max per region, as registered)",
        "",
        head,
        rule,
        ...keys.map((k) => row(k, (s) => s.replicas[k] ?? "—")),
        "",
    ].join("\n");
}
