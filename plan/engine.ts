import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { PROJECT } from "../data/config";
import { createMocks, isSecretWrapper, maskSecrets, nameOfProviderRef, unwrapSecrets } from "./mocks";
import { quietStackTraces } from "./sdk-runtime";

/**
 * The offline engine: loads a stack file into the SDK's config, installs the SDK's own mocks, runs
 * the program's real entry point inside a root stack (as the Pulumi CLI's language host does) and
 * records every registered resource. The plan CLI, the benchmark and the tests all call `runStack`;
 * there is no second copy.
 *
 * Pulumi's runtime state is per process: run stacks one after another (a plan worker plans several
 * in turn), never two at once.
 */

export const ROOT = path.resolve(__dirname, "..");

/** One registered resource as `resources.json` records it (exactly these keys). */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    readonly provider: string | null;
    /** Inputs as plain JSON, every secret value replaced by "[secret]". */
    readonly inputs: unknown;
}

/** A registered resource with what the policies and capacity checks need besides. */
export interface RegisteredResource extends RecordedResource {
    readonly custom: boolean;
    /** Inputs with secrets unwrapped: what CrossGuard hands a policy. Never written to disk. */
    readonly props: Record<string, unknown>;
    /** JSON paths of inputs that were secret (e.g. `masterPassword`, `data.POSTGRES_URL`). */
    readonly secretPaths: readonly string[];
    readonly protect: boolean;
    /** Region of the explicit provider (AWS `region`, GCP `region`), when there is one. */
    readonly region: string | null;
    readonly urn: string;
    /**
     * URNs each top-level input depends on (the resources behind its Outputs), as CrossGuard gives a
     * stack policy in `propertyDependencies`: how a rule links a SecretVersion to its Secret or a
     * security group rule to the cluster whose group it names without knowing cloud-assigned ids.
     */
    readonly dependencies?: Readonly<Record<string, readonly string[]>>;
    /** URNs of the resources named in the `dependsOn` option (resource-level ordering, e.g. workloads after their migration Job). */
    readonly dependsOn?: readonly string[];
}

export interface StackRun {
    readonly stack: string;
    readonly resources: RegisteredResource[];
    /** Set when the program failed: a config error or a resource error. */
    readonly error: string | null;
    readonly errorKind: "config" | "program" | null;
    readonly outputs: Record<string, unknown>;
    readonly millis: number;
}

export interface RunOptions {
    /** Replaces the stack file's project config (keys without the project prefix), e.g. for bad input. */
    readonly config?: Record<string, unknown>;
    /** Rewrites the stack file's project config before the run. */
    readonly mutateConfig?: (config: Record<string, unknown>) => void;
    /** The program's entry point; defaults to the repository's index.ts. */
    readonly entry?: string;
    /** Extra environment for the run (e.g. a synthetic catalog multiplier for the benchmark). */
    readonly env?: Record<string, string>;
    /**
     * Another Pulumi project of the repository (e.g. `bootstrap`): its name (the config namespace and
     * the URNs) and its directory, where its `Pulumi.<stack>.yaml` files live. Default: the root project.
     */
    readonly project?: { readonly name: string; readonly dir: string };
}

/** The names of all stacks: every `Pulumi.<stack>.yaml` at the root. */
export function listStacks(root = ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort((a, b) => stackOrder(a) - stackOrder(b) || a.localeCompare(b));
}

function stackOrder(s: string): number {
    return s === "dev" ? 0 : s === "staging" ? 1 : 2;
}

/** The stacks a CLI plans: those requested (all when none), or why not (some have no stack file). */
export function selectStacks(requested: readonly string[], root = ROOT): { readonly stacks: string[]; readonly refusal: string | null } {
    const known = listStacks(root);
    const unknown = requested.filter((s) => !known.includes(s));
    return unknown.length > 0
        ? { stacks: [], refusal: `unknown stack(s): ${unknown.join(", ")}; stacks: ${known.join(", ")}` }
        : { stacks: requested.length > 0 ? [...requested] : known, refusal: null };
}

/** The project-namespace config of a stack file, keys without the `<project>:` prefix (default `learning-platform:`). */
export function readStackFile(stack: string, root = ROOT, project = PROJECT): Record<string, unknown> {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`no stack file ${path.basename(file)}; stacks: ${listStacks(root).join(", ")}`);
    }
    const doc = (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc.config ?? {})) {
        const [ns, ...rest] = k.split(":");
        out[ns === project ? rest.join(":") : k] = v;
    }
    return out;
}

/** Pulumi hands config to programs as strings; structured values as JSON. */
function toSdkConfig(config: Record<string, unknown>, project: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) {
        const key = k.includes(":") ? k : `${project}:${k}`;
        out[key] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return out;
}

function secretPathsOf(v: unknown, prefix: string, out: string[]): void {
    if (v && typeof v === "object") {
        if (isSecretWrapper(v)) {
            out.push(prefix);
            return;
        }
        for (const [k, x] of Object.entries(v)) {
            secretPathsOf(x, prefix ? (Array.isArray(v) ? `${prefix}[${k}]` : `${prefix}.${k}`) : k, out);
        }
    }
}

/** Runs one stack under the SDK's mocks and returns everything it registered. */
export async function runStack(stack: string, options: RunOptions = {}): Promise<StackRun> {
    const started = Date.now();
    const project = options.project?.name ?? PROJECT;
    const config = options.config ?? readStackFile(stack, options.project?.dir ?? ROOT, project);
    options.mutateConfig?.(config);
    // A worker plans several stacks in turn: the run's extra environment is restored afterwards.
    const savedEnv = new Map(Object.keys(options.env ?? {}).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(options.env ?? {})) {
        process.env[k] = v;
    }

    const awsAccount = (config.aws as { accountId?: string } | undefined)?.accountId ?? "000000000000";
    const gcpProject = (config.gcp as { project?: string } | undefined)?.project ?? "unknown-project";
    const providerInputs = new Map<string, Record<string, unknown>>();
    const recorded: { type: string; name: string; custom: boolean; inputs: unknown; provider: string | null }[] = [];
    const structure = new Map<string, { parent: string | null; protect: boolean; dependencies: Record<string, string[]>; dependsOn: string[] }>();
    const regionOfName = (providerName: string | null): string | null => {
        if (!providerName) {
            return null;
        }
        const p = providerInputs.get(providerName);
        const region = p?.region;
        return typeof region === "string" ? region : null;
    };

    const mocks = createMocks({
        accountId: awsAccount,
        gcpProject,
        gcpProjectNumber: projectNumber(gcpProject),
        regionOf: (ref) => regionOfName(nameOfProviderRef(ref)) ?? "us-east-1",
        onResource: (args) => {
            if (args.type.startsWith("pulumi:providers:")) {
                providerInputs.set(args.name, unwrapSecrets(args.inputs) as Record<string, unknown>);
            }
            // A cloud object read by id (`Resource.get`) is not a resource the program manages (stack references stay listed).
            if (args.id && !args.type.startsWith("pulumi:")) {
                return;
            }
            recorded.push({
                type: args.type,
                name: args.name,
                custom: args.custom !== false,
                inputs: args.inputs,
                provider: nameOfProviderRef(args.provider),
            });
        },
    });

    // Per-stack SDK state, so one process can plan stacks one after another: `setAllConfig`
    // replaces the whole config map, and `setMocks` resets the runtime's options, monitor, root stack
    // resource, leak candidates and feature flags before installing the new mock monitor.
    pulumi.runtime.setAllConfig(toSdkConfig(config, project), []);
    await pulumi.runtime.setMocks(mocks, project, stack, false);

    const names = new WeakMap<pulumi.Resource, string>();
    const urns = new WeakMap<pulumi.Resource, string>();
    const protects = new WeakMap<pulumi.Resource, boolean>();
    const rootName = `${project}-${stack}`;
    let error: string | null = null;
    let errorKind: StackRun["errorKind"] = null;
    let outputs: Record<string, unknown> = {};
    // Program errors keep their message; PLAN_STACK_TRACES=1 brings the frames back when debugging one.
    const restoreStackTraces = quietStackTraces();
    // A failed program can reject more than the root stack's promise (its outputs, pending applies);
    // collect those instead of letting them end the process.
    const stray: unknown[] = [];
    const onStray = (reason: unknown) => stray.push(reason);
    process.on("unhandledRejection", onStray);
    try {
        const entry = options.entry ?? path.join(ROOT, "index.ts");
        outputs =
            (await pulumi.runtime.runInPulumiStack(async () => {
                pulumi.runtime.registerStackTransformation((args) => {
                    names.set(args.resource, args.name);
                    // Top-level resources have no parent option: their parent is the root stack.
                    const parent = args.opts.parent ? (names.get(args.opts.parent) ?? rootName) : rootName;
                    // `protect` is inherited from the parent when not set, as the SDK does after transformations.
                    const protect = args.opts.protect ?? (args.opts.parent ? (protects.get(args.opts.parent) ?? false) : false);
                    protects.set(args.resource, protect);
                    urns.set(args.resource, `urn:pulumi:${stack}::${PROJECT}::${args.type}::${args.name}`);
                    // Only plain Resources in `dependsOn` are recorded (Outputs of resources are resolved later by the SDK).
                    const deps = args.opts.dependsOn;
                    const dependsOn = (Array.isArray(deps) ? deps : [deps]).filter((d): d is pulumi.Resource => pulumi.Resource.isInstance(d)).map((d) => urns.get(d)).filter((u): u is string => u !== undefined);
                    structure.set(`${args.type}::${args.name}`, { parent, protect, dependencies: inputDependencies(args.props, urns), dependsOn });
                    return undefined;
                });
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const program = require(entry) as (() => Promise<Record<string, unknown>>) | { default: () => Promise<Record<string, unknown>> };
                const main = typeof program === "function" ? program : program.default;
                return await main();
            })) ?? {};
        await pulumi.runtime.disconnect();
    } catch (e) {
        const err = e as Error;
        errorKind = err.name === "StackConfigError" ? "config" : "program";
        error = errorKind === "config" ? err.message : withTraceHint(err);
    }
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onStray);
    restoreStackTraces();
    for (const [k, v] of savedEnv) {
        if (v === undefined) {
            delete process.env[k];
        } else {
            process.env[k] = v;
        }
    }
    if (error === null && stray.length > 0) {
        const err = stray[0] as Error;
        errorKind = err?.name === "StackConfigError" ? "config" : "program";
        error = err instanceof Error ? withTraceHint(err) : String(err);
    }

    const resources: RegisteredResource[] = recorded.map((r) => {
        const s = structure.get(`${r.type}::${r.name}`);
        const secretPaths: string[] = [];
        secretPathsOf(r.inputs, "", secretPaths);
        return {
            type: r.type,
            name: r.name,
            parent: r.type === "pulumi:pulumi:Stack" ? null : (s?.parent ?? null),
            provider: r.provider,
            inputs: maskSecrets(r.inputs),
            custom: r.custom,
            props: unwrapSecrets(r.inputs) as Record<string, unknown>,
            secretPaths,
            protect: s?.protect ?? false,
            region: r.type.startsWith("pulumi:providers:") ? regionOfName(r.name) : regionOfName(r.provider),
            urn: `urn:pulumi:${stack}::${project}::${r.type}::${r.name}`,
            dependencies: s?.dependencies ?? {},
            dependsOn: s?.dependsOn ?? [],
        };
    });
    return { stack, resources, error, errorKind, outputs: maskSecrets(outputs) as Record<string, unknown>, millis: Date.now() - started };
}

/** The resources an input's Outputs come from (nested in plain arrays/objects too), per top-level key. */
function inputDependencies(props: Record<string, unknown>, urns: WeakMap<pulumi.Resource, string>): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const collect = (v: unknown, acc: Set<string>, depth: number): void => {
        if (depth > 8 || v === null || typeof v !== "object") {
            return;
        }
        if (pulumi.Output.isInstance(v)) {
            // The SDK's Output keeps the resources it came from (sync; `apply` carries them on).
            const resources = (v as unknown as { resources?: () => Set<pulumi.Resource> }).resources?.() ?? new Set<pulumi.Resource>();
            for (const r of resources) {
                const urn = urns.get(r);
                if (urn) {
                    acc.add(urn);
                }
            }
            return;
        }
        for (const x of Array.isArray(v) ? v : Object.values(v)) {
            collect(x, acc, depth + 1);
        }
    };
    for (const [k, v] of Object.entries(props ?? {})) {
        const acc = new Set<string>();
        collect(v, acc, 0);
        if (acc.size > 0) {
            out[k] = [...acc];
        }
    }
    return out;
}

function withTraceHint(err: Error): string {
    const text = err.stack && err.stack.includes("\n") ? err.stack : `${err.name}: ${err.message}`;
    return process.env.PLAN_STACK_TRACES === "1" ? text : `${text}\n(run with PLAN_STACK_TRACES=1 for the stack trace)`;
}

/** A stable, realistic 12-digit project number per project id. */
function projectNumber(project: string): string {
    let h = 7;
    for (const c of project) {
        h = (h * 31 + c.charCodeAt(0)) % 1_000_000_000_000;
    }
    return String(100_000_000_000 + (h % 899_999_999_999));
}

/** Drops the keys that only the in-memory run carries: what `resources.json` holds. */
export function toRecorded(r: RegisteredResource): RecordedResource {
    return { type: r.type, name: r.name, parent: r.parent, provider: r.provider, inputs: r.inputs };
}
