import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime";
import { awsCalls, awsOutputs, defaultAwsArn } from "./aws";
import { gcpCalls, gcpOutputs } from "./gcp";
import { k8sOutputs } from "./k8s";
import { pulumiOutputs } from "./pulumi";
import { MockContext, OutputFn, CallFn } from "./types";

export { MockContext } from "./types";

/**
 * The mock provider: what the clouds would answer, for an offline run. Resource outputs echo the
 * inputs plus the computed attributes the program reads (endpoints, ARNs, self links), per type.
 * Function calls answer only the tokens listed; any other token throws, so a new data-source call
 * cannot slip through with a silent `{}`.
 */
const outputs: Record<string, OutputFn> = { ...awsOutputs, ...gcpOutputs, ...k8sOutputs, ...pulumiOutputs };
const calls: Record<string, CallFn> = { ...awsCalls, ...gcpCalls };

/** Pulumi encodes secrets in mock inputs as this wrapper. */
const secretSig = "1b47061264138c4ac30d75fd1eb44270";
const sigKey = "4dabf18193072939515e22adb298388d";

export function isSecretWrapper(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[sigKey] === secretSig;
}

/** Plain JSON of mock inputs: secrets unwrapped (for policies, which see plaintext like CrossGuard). */
export function unwrapSecrets(v: unknown): unknown {
    if (isSecretWrapper(v)) {
        return unwrapSecrets(v.value);
    }
    if (Array.isArray(v)) {
        return v.map(unwrapSecrets);
    }
    if (v && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    }
    return v;
}

/** Plain JSON of mock inputs with every secret value replaced by "[secret]" (for files and tests). */
export function maskSecrets(v: unknown): unknown {
    if (isSecretWrapper(v)) {
        return "[secret]";
    }
    if (Array.isArray(v)) {
        return v.map(maskSecrets);
    }
    if (v && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskSecrets(x)]));
    }
    return v;
}

/** The last segment of a URN, the logical name; providers are referenced as `urn::id`. */
export function nameOfProviderRef(ref: string | undefined): string | null {
    if (!ref) {
        return null;
    }
    const urn = ref.split("::").slice(0, -1).join("::");
    return urn.split("::").pop() ?? null;
}

export function createMocks(ctx: MockContext) {
    return {
        newResource(args: MockResourceArgs): { id: string; state: Record<string, unknown> } {
            ctx.onResource(args);
            const fn = outputs[args.type];
            const computed: Record<string, unknown> = fn ? fn(args, ctx) : {};
            if (args.type.startsWith("aws:") && computed.arn === undefined && args.custom !== false) {
                computed.arn = defaultAwsArn(args.type, args.name, ctx.regionOf(args.provider), ctx.accountId);
            }
            if (args.type.startsWith("gcp:") && computed.selfLink === undefined) {
                computed.selfLink = `https://www.googleapis.com/compute/v1/projects/${ctx.gcpProject}/${args.name}`;
            }
            const id = typeof computed.id === "string" ? computed.id : `${args.name}-id`;
            return { id, state: { ...args.inputs, ...computed } };
        },
        call(args: MockCallArgs): Record<string, unknown> {
            const fn = calls[args.token];
            if (!fn) {
                throw new Error(`offline plan: no mock for provider function ${args.token}; add one to plan/mocks/`);
            }
            return fn(args, ctx);
        },
    };
}
