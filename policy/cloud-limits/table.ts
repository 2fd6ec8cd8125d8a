import { awsLimits, awsProviderLimits } from "./aws";
import { gcpLimits, gcpProviderLimits } from "./gcp";
import { k8sLimits } from "./k8s";
import { between, custom, entry, nothing, Test, TypeEntry } from "./model";

/**
 * The table: every resource type the program registers, by type token, with the limits its cloud
 * enforces on the values the program sets. A type missing from here fails the coverage test
 * (tests/policy/cloud-limits.test.ts), so a new type arrives with its limits or a reason it has none.
 */

const RANDOM = "https://registry.terraform.io/providers/hashicorp/random/latest/docs/resources/password#length-1";
/** `length` ≥ 1 and ≥ the sum of the required minimums (the provider's plan-time validator). */
const lengthCoversMinimums: Test = (v, p) => {
    if (typeof v !== "number") {
        return undefined;
    }
    const mins = ["minLower", "minUpper", "minNumeric", "minSpecial"].reduce((s, k) => s + (typeof p[k] === "number" ? (p[k] as number) : 0), 0);
    return v >= Math.max(1, mins) ? undefined : `at least 1 and at least minLower + minUpper + minNumeric + minSpecial (${mins})`;
};
const randomText = (): TypeEntry =>
    entry(
        custom("range", "length", lengthCoversMinimums, RANDOM),
        between("minLower", 0, 1_000_000, RANDOM),
        between("minUpper", 0, 1_000_000, RANDOM),
        between("minNumeric", 0, 1_000_000, RANDOM),
        between("minSpecial", 0, 1_000_000, RANDOM),
    );

export const cloudLimits: ReadonlyMap<string, TypeEntry> = new Map<string, TypeEntry>([
    ...Object.entries(awsLimits),
    ...Object.entries(gcpLimits),
    ...Object.entries(k8sLimits),
    ["random:index/randomPassword:RandomPassword", randomText()],
    ["random:index/randomString:RandomString", randomText()],
    ["random:index/randomId:RandomId", entry(between("byteLength", 1, 1_000_000, "https://registry.terraform.io/providers/hashicorp/random/latest/docs/resources/id#byte_length-1"))],
    ["random:index/randomBytes:RandomBytes", entry(between("length", 1, 1_000_000, "https://registry.terraform.io/providers/hashicorp/random/latest/docs/resources/bytes#length-1"))],
    ["pulumi:providers:aws", awsProviderLimits],
    ["pulumi:providers:gcp", gcpProviderLimits],
    ["pulumi:providers:kubernetes", nothing("provider configuration (kubeconfig, server-side apply): no cloud-side name or value")],
    ["pulumi:providers:random", nothing("provider without configuration")],
    ["pulumi:pulumi:Stack", nothing("the stack itself: no cloud resource")],
    ["pulumi:pulumi:StackReference", nothing("a read of another stack's outputs (the bootstrap stack): no cloud resource")],
]);

/** Components are the program's own grouping, never sent to a cloud. */
const COMPONENT_PREFIX = "learning-platform:";
const componentEntry = nothing("a ComponentResource of this program: its children carry the cloud's limits");

/** The table entry of a type; undefined for a type with none (a gap the coverage test reports). */
export function entryFor(type: string): TypeEntry | undefined {
    return cloudLimits.get(type) ?? (type.startsWith(COMPONENT_PREFIX) ? componentEntry : undefined);
}
