import * as fs from "fs";
import * as path from "path";
import { RegisteredResource, StackRun } from "../plan/engine";
import { PlannedStack } from "../plan/plan";
import { requestRun } from "./run-server";

/**
 * Test access to the program's registered resources. `planOf` reads the plan the global setup made
 * for every stack (the same engine and code as `npm run plan`); `runProgram` runs the engine on
 * the suite's run server for inputs no stack file has (bad config, overrides).
 */

const cache = new Map<string, PlannedStack>();

/**
 * The plan the global setup made for `stack`. A missing plan is an error, never a reason to plan
 * again in-process: a silent re-plan would hide a global setup that did not run or failed.
 */
export async function planOf(stack: string): Promise<PlannedStack> {
    const cached = cache.get(stack);
    if (cached) {
        return cached;
    }
    const dir = process.env.PLAN_CACHE_DIR;
    if (!dir) {
        throw new Error("PLAN_CACHE_DIR is not set: the plans come from jest's global setup (tests/global-setup.js)");
    }
    const file = path.join(dir, stack, "plan.json");
    if (!fs.existsSync(file)) {
        throw new Error(`no plan for stack "${stack}" at ${file}: the global setup plans every stack in Pulumi.*.yaml`);
    }
    const planned = JSON.parse(fs.readFileSync(file, "utf8")) as PlannedStack;
    cache.set(stack, planned);
    return planned;
}

/**
 * Runs the program for one stack with the given project config (default: the stack file's), through
 * the same engine as the plan, on the suite's run server (workers that keep the SDK loaded; the
 * same request is run once per suite).
 */
export function runProgram(stack: string, options: { config?: Record<string, unknown>; env?: Record<string, string> } = {}): Promise<StackRun> {
    return requestRun<StackRun>({ stack, config: options.config, env: options.env });
}

/** The stack file's project config, for a test to change before `runProgram`. */
export { readStackFile } from "../plan/engine";

export function byType(run: StackRun, type: string): RegisteredResource[] {
    return run.resources.filter((r) => r.type === type);
}

export function one(run: StackRun, type: string, name: string): RegisteredResource {
    const r = run.resources.find((x) => x.type === type && x.name === name);
    if (!r) {
        const names = byType(run, type).map((x) => x.name);
        throw new Error(`no ${type} named "${name}" in ${run.stack}; there are: ${names.join(", ") || "none"}`);
    }
    return r;
}

export function childrenOf(run: StackRun, parentName: string): RegisteredResource[] {
    return run.resources.filter((r) => r.parent === parentName);
}

/** A hand-built resource for policy pass/fail cases. */
export function fixture(type: string, props: Record<string, unknown>, extra: Partial<RegisteredResource> = {}): RegisteredResource {
    const name = extra.name ?? "fixture";
    return {
        type,
        name,
        parent: null,
        provider: null,
        inputs: props,
        custom: true,
        props,
        secretPaths: [],
        protect: false,
        region: null,
        urn: `urn:pulumi:test::learning-platform::${type}::${name}`,
        ...extra,
    };
}

/** A provider fixture carrying default tags/labels (JSON-encoded, as the SDK sends them). */
export function providerFixture(cloud: "aws" | "gcp", name: string, props: Record<string, unknown>): RegisteredResource {
    const encoded = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    return fixture(`pulumi:providers:${cloud}`, encoded, { name, region: typeof props.region === "string" ? props.region : null });
}

/** The list, after asserting it has items: a loop or `.every` over an empty list asserts nothing. */
export function nonEmpty<T>(list: readonly T[]): readonly T[] {
    expect(list.length).toBeGreaterThan(0);
    return list;
}
