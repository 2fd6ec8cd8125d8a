import * as fs from "fs";
import * as path from "path";
import { Finding } from "../data/findings";
import type { RegisteredResource } from "./engine";
import { renderGraph } from "../policy/graph/graph";
import { previewHead } from "./parallel";
import { PlannedStack, planStack, redacted, writePlan } from "./plan";
import { writeReviewPack } from "./review/pack";

/** Text output of the plan: a preview-like tree, counts, findings. */

function cloudOf(type: string): string {
    if (type.startsWith("pulumi:providers:")) {
        return type.split(":")[2];
    }
    return type.split(":")[0];
}

export function renderTree(resources: readonly RegisteredResource[]): string[] {
    const children = new Map<string | null, RegisteredResource[]>();
    for (const r of resources) {
        const list = children.get(r.parent) ?? [];
        list.push(r);
        children.set(r.parent, list);
    }
    const lines: string[] = [];
    const typeWidth = Math.min(70, Math.max(...resources.map((r) => r.type.length)) + 12);
    const walk = (r: RegisteredResource, prefix: string, last: boolean, depth: number) => {
        const branch = depth === 0 ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
        const label = `${branch}${r.type}`;
        lines.push(` +   ${label.padEnd(typeWidth)} ${r.name}${r.protect ? "  [protect]" : ""}`);
        const kids = children.get(r.name) ?? [];
        kids.forEach((k, i) => walk(k, depth === 0 ? "" : `${prefix}${last ? "   " : "│  "}`, i === kids.length - 1, depth + 1));
    };
    for (const root of children.get(null) ?? []) {
        walk(root, "", true, 0);
    }
    return lines;
}

export function renderCounts(resources: readonly RegisteredResource[]): string[] {
    const byType = new Map<string, number>();
    const byPlace = new Map<string, number>();
    for (const r of resources) {
        byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
        const place = `${cloudOf(r.type)}${r.region ? ` ${r.region}` : ""}`;
        byPlace.set(place, (byPlace.get(place) ?? 0) + 1);
    }
    const lines = ["Resources by cloud/region:"];
    for (const [k, v] of [...byPlace].sort()) {
        lines.push(`    ${String(v).padStart(5)}  ${k}`);
    }
    lines.push("Resources by type:");
    for (const [k, v] of [...byType].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
        lines.push(`    ${String(v).padStart(5)}  ${k}`);
    }
    return lines;
}

const order: Record<Finding["severity"], number> = { mandatory: 0, advisory: 1, info: 2 };

export function renderFindings(findings: readonly Finding[]): string[] {
    const lines = [`Findings (${findings.filter((f) => f.severity === "mandatory").length} mandatory, ${findings.filter((f) => f.severity === "advisory").length} advisory, ${findings.filter((f) => f.severity === "info").length} info):`];
    for (const f of [...findings].sort((a, b) => order[a.severity] - order[b.severity] || a.ruleId.localeCompare(b.ruleId))) {
        lines.push(`    ${f.severity.toUpperCase().padEnd(9)} ${f.ruleId}  ${f.resource}: ${f.message}`);
    }
    return lines;
}

export function renderPlan(planned: PlannedStack, options: { tree: boolean }): string {
    const { run } = planned;
    const head = previewHead(run.stack);
    if (run.error) {
        return [head, `error (${run.errorKind}): ${run.error}`, ""].join("\n");
    }
    return [
        head,
        ...(options.tree ? renderTree(run.resources) : []),
        `Resources: ${run.resources.length} to create`,
        ...renderCounts(run.resources),
        ...renderGraph(planned.graph ?? []),
        ...renderFindings(planned.findings),
        "",
    ].join("\n");
}

/** What a worker reports for one planned stack (the parent adds the wall time). */
export interface PlanReport {
    readonly stack: string;
    readonly report: string;
    readonly mandatory: number;
    readonly error: string | null;
    readonly errorKind: "config" | "program" | null;
    readonly resources: number;
    /** Peak resident memory of the worker so far, MiB: with several stacks per worker, the largest. */
    readonly maxRssMiB: number;
}

/**
 * Plans one stack in this process and writes DIR/<stack>/ (and `plan.json`, the whole run with
 * secrets redacted, when PLAN_FULL_RUN=1: the test harness reads it instead of re-planning).
 * PLAN_CONFIG_FILE plans a variant of the stack (the benchmark's extra regions).
 */
export async function planToDir(stack: string, outDir: string, tree: boolean): Promise<PlanReport> {
    const configFile = process.env.PLAN_CONFIG_FILE;
    const config = configFile ? (JSON.parse(fs.readFileSync(configFile, "utf8")) as Record<string, unknown>) : undefined;
    const planned = await planStack(stack, { config });
    const dir = writePlan(planned, outDir);
    // The review pack (cards, decision records, §26 checklist, diagram source) beside the plan.
    writeReviewPack(planned, outDir);
    if (process.env.PLAN_FULL_RUN === "1") {
        fs.writeFileSync(path.join(dir, "plan.json"), JSON.stringify(redacted(planned)));
    }
    return {
        stack,
        report: renderPlan(planned, { tree }),
        mandatory: planned.findings.filter((f) => f.severity === "mandatory").length,
        error: planned.run.error,
        errorKind: planned.run.errorKind,
        resources: planned.run.resources.length,
        maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
}
