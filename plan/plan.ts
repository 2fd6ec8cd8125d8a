import * as fs from "fs";
import * as path from "path";
import { evaluateCapacity } from "../capacity";
import { Finding } from "../data/findings";
import { activeCatalog } from "../data/catalog/synthetic";
import { allPolicies } from "../policy/rules";
import { GraphEdge, serviceGraph } from "../policy/graph/graph";
import { runPolicies, toPolicyResources } from "./policy-runner";
import { parseStackConfig } from "../data/config";
import { deployContext } from "../data/context";
import { catalogRequirements } from "../data/config";
import { RegisteredResource, RunOptions, StackRun, readStackFile, runStack, toRecorded } from "./engine";
import { PlacedManifest, manifestsOf, toYaml } from "./manifests";
import { secretMarkingFindings } from "./secrets";

/** A stack's offline plan: what it registered, the findings, the Kubernetes manifests. */
export interface PlannedStack {
    readonly run: StackRun;
    readonly findings: Finding[];
    readonly manifests: PlacedManifest[];
    /** The service graph: every card dependency per region and its path (policy/graph). */
    readonly graph: GraphEdge[];
}

/** Plans one stack in this process: run the program, then the policy pack and the capacity model. */
export async function planStack(stack: string, options: RunOptions = {}): Promise<PlannedStack> {
    const run = await runStack(stack, options);
    if (run.error) {
        return { run, findings: [], manifests: [], graph: [] };
    }
    const raw = options.config ?? readStackFile(stack);
    options.mutateConfig?.(raw);
    const catalog = activeCatalog();
    const ctx = deployContext(parseStackConfig(stack, raw, catalogRequirements(catalog)), catalog);
    const findings = [...evaluateCapacity(ctx), ...(await runPolicies(allPolicies, run.resources)), ...secretMarkingFindings(run.resources)];
    return { run, findings, manifests: manifestsOf(run.resources), graph: serviceGraph(toPolicyResources(run.resources), catalog) };
}

/** The run with plaintext secrets dropped: `props` replaced by the masked inputs (safe to write). */
export function redacted(planned: PlannedStack): PlannedStack {
    const resources: RegisteredResource[] = planned.run.resources.map((r) => ({ ...r, props: r.inputs as Record<string, unknown> }));
    return { ...planned, run: { ...planned.run, resources } };
}

/** Writes resources.json, findings.json and k8s/<cluster>/<namespace>.yaml under DIR/<stack>/. */
export function writePlan(planned: PlannedStack, outDir: string): string {
    const dir = path.join(outDir, planned.run.stack);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "resources.json"), JSON.stringify(planned.run.resources.map(toRecorded), null, 2) + "\n");
    fs.writeFileSync(path.join(dir, "findings.json"), JSON.stringify(planned.findings, null, 2) + "\n");
    const groups = new Map<string, PlacedManifest["manifest"][]>();
    for (const { cluster, manifest } of planned.manifests) {
        const file = path.join(dir, "k8s", cluster, `${manifest.metadata.namespace ?? "_cluster"}.yaml`);
        groups.set(file, [...(groups.get(file) ?? []), manifest]);
    }
    for (const [file, docs] of groups) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, docs.map(toYaml).join("---\n"));
    }
    return dir;
}
