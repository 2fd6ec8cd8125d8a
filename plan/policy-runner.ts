import {
    PolicyProviderResource,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import { Finding } from "../data/findings";
import type { RegisteredResource } from "./engine";
import { informationalPolicies } from "../policy/rules/severity";

/**
 * Runs the pack's policy objects over resources recorded by the offline engine, building the same
 * arguments CrossGuard builds (type, props with secrets unwrapped, urn, name, options, provider).
 * Used by the plan and the tests; `pulumi preview --policy-pack policy` runs the same objects.
 */

type Policy = ResourceValidationPolicy | StackValidationPolicy;

class NotApplicable extends Error {}

function pulumiTypeOf(cls: unknown): string | undefined {
    const t = (cls as { __pulumiType?: unknown }).__pulumiType;
    return typeof t === "string" ? t : undefined;
}

function providerOf(r: RegisteredResource, byName: ReadonlyMap<string, RegisteredResource>): PolicyProviderResource | undefined {
    const p = r.provider ? byName.get(r.provider) : undefined;
    return p ? { type: p.type, name: p.name, urn: p.urn, props: p.props } : undefined;
}

function resourceArgs(r: RegisteredResource, byName: ReadonlyMap<string, RegisteredResource>): ResourceValidationArgs {
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: r.props,
        opts: {
            protect: r.protect,
            ignoreChanges: [],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
            parent: r.parent ? byName.get(r.parent)?.urn : undefined,
        },
        provider: providerOf(r, byName),
        stackTags: new Map(),
        isType: (cls) => pulumiTypeOf(cls) === r.type,
        asType: <T, A>(cls: { new (name: string, args: A, ...rest: unknown[]): T }) =>
            (pulumiTypeOf(cls) === r.type ? r.props : undefined) as never,
        getConfig: <T extends object>() => ({}) as T,
        notApplicable: (reason?: string): never => {
            throw new NotApplicable(reason);
        },
    };
}

/** The resources as CrossGuard hands them to a stack policy (for pure checks the plan also reports). */
export function toPolicyResources(resources: readonly RegisteredResource[]): PolicyResource[] {
    return policyResources(resources, namesOf(resources));
}

function namesOf(resources: readonly RegisteredResource[]): Map<string, RegisteredResource> {
    const byName = new Map<string, RegisteredResource>();
    for (const r of resources) {
        // Parents and providers are referenced by logical name; component and provider names are unique.
        if (!byName.has(r.name) || r.type.startsWith("pulumi:providers:")) {
            byName.set(r.name, r);
        }
    }
    return byName;
}

function policyResources(resources: readonly RegisteredResource[], byName: ReadonlyMap<string, RegisteredResource>): PolicyResource[] {
    const out = new Map<string, PolicyResource>();
    for (const r of resources) {
        out.set(r.name + "\u0000" + r.type, {
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.props,
            opts: resourceArgs(r, byName).opts,
            provider: providerOf(r, byName),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => pulumiTypeOf(cls) === r.type,
            asType: (cls) => (pulumiTypeOf(cls) === r.type ? (r.props as never) : undefined),
        });
    }
    const byUrn = new Map([...out.values()].map((p) => [p.urn, p]));
    for (const r of resources) {
        const self = out.get(r.name + "\u0000" + r.type);
        const parent = r.parent ? byName.get(r.parent) : undefined;
        if (self && parent) {
            self.parent = out.get(parent.name + "\u0000" + parent.type);
        }
        if (self && r.dependencies) {
            for (const [key, deps] of Object.entries(r.dependencies)) {
                self.propertyDependencies[key] = deps.map((u) => byUrn.get(u)).filter((p): p is PolicyResource => p !== undefined);
            }
        }
    }
    return [...out.values()];
}

/** Runs every policy over the resources; each violation becomes a finding. */
export async function runPolicies(policies: readonly Policy[], resources: readonly RegisteredResource[]): Promise<Finding[]> {
    const byName = namesOf(resources);
    const findings: Finding[] = [];
    for (const policy of policies) {
        const severity = policy.enforcementLevel === "advisory" ? (informationalPolicies.has(policy.name) ? "info" : "advisory") : "mandatory";
        if (policy.enforcementLevel === "disabled") {
            continue;
        }
        if ("validateResource" in policy && policy.validateResource) {
            const validators = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
            for (const r of resources) {
                const args = resourceArgs(r, byName);
                for (const validate of validators) {
                    try {
                        await validate(args, (message) => findings.push({ ruleId: policy.name, severity, resource: r.name, message }));
                    } catch (e) {
                        if (!(e instanceof NotApplicable)) {
                            throw e;
                        }
                    }
                }
            }
        }
        if ("validateStack" in policy) {
            const urnToName = new Map(resources.map((r) => [r.urn, r.name]));
            try {
                await policy.validateStack(
                    {
                        resources: policyResources(resources, byName),
                        stackTags: new Map(),
                        getConfig: <T extends object>() => ({}) as T,
                        notApplicable: (reason?: string): never => {
                            throw new NotApplicable(reason);
                        },
                    },
                    (message, urn) =>
                        findings.push({ ruleId: policy.name, severity, resource: (urn && urnToName.get(urn)) || "stack", message }),
                );
            } catch (e) {
                if (!(e instanceof NotApplicable)) {
                    throw e;
                }
            }
        }
    }
    return findings;
}
