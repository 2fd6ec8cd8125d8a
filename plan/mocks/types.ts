import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime";

/** What the mocks know of the run: the stack's identity and the region behind each provider. */
export interface MockContext {
    readonly accountId: string;
    readonly gcpProject: string;
    readonly gcpProjectNumber: string;
    /** Region (AWS) or default region (GCP) configured on the provider a resource or call uses. */
    regionOf(providerRef: string | undefined): string;
    /** Called for every registered resource before its outputs are computed. */
    onResource(args: MockResourceArgs): void;
}

/** Computed outputs of one resource type (merged over its inputs). */
export type OutputFn = (args: MockResourceArgs, ctx: MockContext) => Record<string, unknown>;

/** The result of one provider function. */
export type CallFn = (args: MockCallArgs, ctx: MockContext) => Record<string, unknown>;
