import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { sdkClassOf } from "../policy/sdk-class";
import { bareMocks, quietStackTraces } from "./sdk-runtime";

/**
 * The benchmark's SDK lower bound: `node -r plan/register.js plan/replay.ts <resources.json>`.
 * Registers a planned stack's resources again, each through its own provider SDK class with its
 * recorded inputs, under the same mocks as the floor, and nothing else: no program logic, no
 * outputs flowing between resources, no policies, no files. No program that registers that set of
 * resources can plan faster than this, whatever it does.
 */

interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

async function replay(): Promise<void> {
    const file = process.argv[2];
    const recorded = JSON.parse(fs.readFileSync(file, "utf8")) as Recorded[];
    await pulumi.runtime.setMocks(bareMocks, "replay", "replay", false);
    quietStackTraces(); // as the engine does for a plan
    let registered = 0;
    await pulumi.runtime.runInPulumiStack(async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const k8s = require("@pulumi/kubernetes") as typeof import("@pulumi/kubernetes");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const sdks: Record<string, object> = { aws: require("@pulumi/aws"), gcp: require("@pulumi/gcp"), kubernetes: k8s, random: require("@pulumi/random") };
        for (const r of recorded) {
            const [pkg, , last] = r.type.split(":");
            if (r.type === "pulumi:pulumi:Stack") {
                continue;
            }
            if (r.type === "pulumi:pulumi:StackReference") {
                new pulumi.StackReference(r.name, { name: String(r.inputs.name) });
            } else if (pkg === "pulumi") {
                // pulumi:providers:<package>
                const provider: unknown = sdks[last] ? Reflect.get(sdks[last], "Provider") : undefined;
                if (typeof provider !== "function") {
                    throw new Error(`no provider class for ${r.type}`);
                }
                Reflect.construct(provider, [r.name, r.inputs]);
            } else if (!sdks[pkg]) {
                // The program's own components.
                new pulumi.ComponentResource(r.type, r.name, {}, {});
            } else {
                const ctor = sdkClassOf(sdks, r.type);
                if (typeof ctor === "function") {
                    Reflect.construct(ctor, [r.name, r.inputs]);
                } else if (pkg === "kubernetes") {
                    // Custom resource kinds have no class of their own.
                    new k8s.apiextensions.CustomResource(r.name, { apiVersion: String(r.inputs.apiVersion), kind: String(r.inputs.kind), ...r.inputs });
                } else {
                    throw new Error(`no SDK class for ${r.type}`);
                }
            }
            registered++;
        }
        return {};
    });
    await pulumi.runtime.disconnect();
    process.send?.({ registered, maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }, undefined, {}, () => process.exit(0));
}

replay().catch((e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(2);
});
