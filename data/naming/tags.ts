import { Environment } from "../catalog/types";

/**
 * The tags (AWS) and labels (GCP, Kubernetes) every taggable resource carries. The policy pack's
 * `required-tags` rule checks for exactly these keys.
 */
export const requiredTagKeys = ["environment", "service", "owner", "managed-by"] as const;

export interface TagContext {
    readonly environment: Environment;
    readonly owner: string;
    /** The service a resource belongs to; shared platform pieces use "platform". */
    readonly service: string;
}

export function standardTags(ctx: TagContext): Record<string, string> {
    return { environment: ctx.environment, service: ctx.service, owner: ctx.owner, "managed-by": "pulumi" };
}

/** GCP label values: lower-case letters, digits, `_` and `-`, at most 63 characters. */
export function standardLabels(ctx: TagContext): Record<string, string> {
    const clean = (v: string) => v.toLowerCase().replace(/[^a-z0-9_-]/g, "-").slice(0, 63);
    return Object.fromEntries(Object.entries(standardTags(ctx)).map(([k, v]) => [k, clean(v)]));
}
