import { z } from "zod";
import { catalog } from "./catalog";
import { FeatureSwitches } from "./catalog/features";
import { Environment, TopologyCard, environments } from "./catalog/types";
import { ResidencyZone, regionsAllowed, residencyZones } from "./regions";

/**
 * The one place stack configuration is read and validated. A stack file selects an environment
 * and regions (and little else); everything it may say is declared here and in Pulumi.yaml.
 * Validation is pure: `parseStackConfig` runs on plain data and reports every problem at once.
 */

export const PROJECT = "learning-platform";

/** Keys a stack file may set, under the project namespace. */
export const configKeys = ["environment", "residency", "owner", "domain", "aws", "gcp", "images", "replicaOverrides", "deploy", "features"] as const;

const imageRef = /^[a-z0-9]+([.-][a-z0-9]+)*(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+@sha256:[a-f0-9]{64}$/;
const cidr = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const gcpProjectId = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const billingAccount = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;
const domainName = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;
/** `<org>/bootstrap/<stack>`: a stack of the bootstrap project (bootstrap/Pulumi.yaml). */
const bootstrapStackRef = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/bootstrap\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const awsRegionSchema = z.strictObject({
    region: z.string(),
    /** `active` serves its home tenants; `passive` is a warm standby (Aurora global secondary, no writer). */
    role: z.enum(["active", "passive"]),
});

const gcpRegionSchema = z.strictObject({
    region: z.string(),
    /** `active` serves tenants; `dr` holds the warm cross-region replica and backups. */
    role: z.enum(["active", "dr"]),
});

const replicaRangeSchema = z.strictObject({ min: z.number().int().min(0, "a whole number ≥ 0"), max: z.number().int().min(1, "a whole number ≥ 1") });

const rawSchema = z.strictObject({
    environment: z.enum(environments),
    residency: z.enum(residencyZones),
    owner: z.string().regex(/^[a-z0-9-]+$/, "lower-case letters, digits and dashes").default("platform-infra"),
    domain: z.string().regex(domainName, "a DNS domain such as us.melmastoon.com"),
    aws: z.strictObject({
        accountId: z.string().regex(/^\d{12}$/, "a 12-digit AWS account id"),
        regions: z.array(awsRegionSchema).min(1, "at least one region"),
        /** CIDRs allowed to reach the EKS public endpoint; empty (the default) keeps it private only. */
        apiAccessCidrs: z.array(z.string().regex(cidr, "an IPv4 CIDR")).default([]),
        /** CIDRs of the third-party LRS sources allowed to post xAPI statements (progress-service edge rule). */
        lrsAllowCidrs: z.array(z.string().regex(cidr, "an IPv4 CIDR")).default([]),
    }),
    gcp: z.strictObject({
        project: z.string().regex(gcpProjectId, "a GCP project id: 6-30 lower-case letters, digits, dashes"),
        billingAccount: z.string().regex(billingAccount, "a billing account id like 01ABCD-234567-89EFAB"),
        regions: z.array(gcpRegionSchema).min(1, "at least one region"),
    }),
    images: z.record(z.string(), z.string().regex(imageRef, "an image reference pinned by digest: registry/repo@sha256:<64 hex>")),
    replicaOverrides: z.record(z.string(), replicaRangeSchema).default({}),
    deploy: z.strictObject({
        /** The bootstrap stack whose CodeBuild runners run this stack's preview/up; its runner egress /32s open the EKS public endpoint. */
        bootstrapStack: z.string().regex(bootstrapStackRef, "a bootstrap stack reference: <org>/bootstrap/<stack>"),
    }),
    /**
     * Features whose value operations provide (data/catalog/features.ts), each off by default: off, the
     * value is read optionally and the feature's flags stay off; on declares the value is in place.
     */
    features: z.strictObject({ aiGateway: z.boolean().default(false) }).default({ aiGateway: false }),
});

export interface AwsRegionConfig {
    readonly region: string;
    readonly role: "active" | "passive";
}

export interface GcpRegionConfig {
    readonly region: string;
    readonly role: "active" | "dr";
}

/** The validated configuration of one stack. */
export interface StackConfig {
    readonly stack: string;
    readonly environment: Environment;
    readonly residency: ResidencyZone;
    readonly owner: string;
    readonly domain: string;
    readonly aws: {
        readonly accountId: string;
        readonly regions: readonly AwsRegionConfig[];
        readonly apiAccessCidrs: readonly string[];
        readonly lrsAllowCidrs: readonly string[];
    };
    readonly gcp: {
        readonly project: string;
        readonly billingAccount: string;
        readonly regions: readonly GcpRegionConfig[];
    };
    /** Image references by image key, each pinned by digest. */
    readonly images: Readonly<Record<string, string>>;
    /** Replica bounds overriding the catalog, keyed `service/role`. */
    readonly replicaOverrides: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
    /** Where the pipeline runs: the bootstrap stack of this stack's runners (bootstrap/). */
    readonly deploy: { readonly bootstrapStack: string };
    /** Switches of the features operations provide values for (all off by default). */
    readonly features: FeatureSwitches;
}

export interface ConfigIssue {
    readonly key: string;
    readonly value: unknown;
    readonly message: string;
}

/** Every problem of one stack's configuration, reported together. */
export class StackConfigError extends Error {
    constructor(
        readonly stack: string,
        readonly issues: readonly ConfigIssue[],
    ) {
        super(
            `stack "${stack}" has ${issues.length} configuration problem(s):\n` +
                issues.map((i) => `  - ${PROJECT}:${i.key} = ${show(i.value)}: ${i.message}`).join("\n"),
        );
        this.name = "StackConfigError";
    }
}

function show(value: unknown): string {
    return value === undefined ? "(missing)" : JSON.stringify(value);
}

function keyOf(path: readonly PropertyKey[]): string {
    return path.reduce<string>((acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), "");
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
    let v: unknown = raw;
    for (const p of path) {
        if (v === null || typeof v !== "object") {
            return undefined;
        }
        v = (v as Record<PropertyKey, unknown>)[p];
    }
    return v;
}

/** What the catalog requires of a stack: the image keys and the `service/role` names it knows. */
export interface CatalogRequirements {
    readonly imageKeys: readonly string[];
    readonly roles: readonly string[];
}

/**
 * Validates one stack's raw configuration (the project-namespace keys without the prefix, objects
 * already parsed). Throws `StackConfigError` listing every problem; returns the typed config otherwise.
 */
export function parseStackConfig(stack: string, raw: Record<string, unknown>, requires: CatalogRequirements): StackConfig {
    const issues: ConfigIssue[] = [];
    const parsed = rawSchema.safeParse(raw);
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            if (issue.code === "unrecognized_keys") {
                for (const k of issue.keys) {
                    const path = [...issue.path, k];
                    const allowed = issue.path.length === 0 ? configKeys.join(", ") : allowedKeysAt(issue.path).join(", ");
                    issues.push({ key: keyOf(path), value: valueAt(raw, path), message: `unknown key; allowed: ${allowed}` });
                }
                continue;
            }
            issues.push({ key: keyOf(issue.path), value: valueAt(raw, issue.path), message: describeIssue(issue) });
        }
    }
    // Cross-field rules run on whatever parsed, so one run reports as much as it can.
    const env = typeof raw.environment === "string" ? raw.environment : undefined;
    const zone = (residencyZones as readonly string[]).includes(String(raw.residency)) ? (raw.residency as ResidencyZone) : undefined;
    if (env === "prod" && zone === "global") {
        issues.push({ key: "residency", value: zone, message: "a prod stack serves real tenants; allowed: us, eu, me, ap" });
    }
    for (const cloud of ["aws", "gcp"] as const) {
        const regions = valueAt(raw, [cloud, "regions"]);
        if (!Array.isArray(regions)) {
            continue;
        }
        const seen = new Set<string>();
        regions.forEach((r: unknown, i: number) => {
            const region = valueAt(r, ["region"]);
            if (typeof region !== "string") {
                return;
            }
            const key = `${cloud}.regions[${i}].region`;
            if (seen.has(region)) {
                issues.push({ key, value: region, message: "listed twice" });
            }
            seen.add(region);
            if (zone) {
                const allowed = regionsAllowed(cloud, zone);
                if (!allowed.includes(region)) {
                    issues.push({ key, value: region, message: `not in residency zone "${zone}"; allowed: ${allowed.join(", ")}` });
                }
            }
        });
        // An empty list is already "at least one region"; say it once.
        if (regions.length > 0 && !regions.some((r: unknown) => valueAt(r, ["role"]) === "active")) {
            issues.push({ key: `${cloud}.regions`, value: regions, message: "needs at least one region with role active" });
        }
    }
    const images = valueAt(raw, ["images"]);
    for (const k of requires.imageKeys) {
        if (images === null || typeof images !== "object" || !(k in images)) {
            issues.push({ key: `images.${k}`, value: undefined, message: "required: an image reference pinned by digest (registry/repo@sha256:<64 hex>)" });
        }
    }
    const overrides = valueAt(raw, ["replicaOverrides"]);
    if (overrides !== null && typeof overrides === "object") {
        for (const [k, v] of Object.entries(overrides)) {
            if (!requires.roles.includes(k)) {
                issues.push({ key: `replicaOverrides.${k}`, value: v, message: `unknown service/role; allowed: ${requires.roles.join(", ")}` });
            }
            const min = valueAt(v, ["min"]);
            const max = valueAt(v, ["max"]);
            if (typeof min === "number" && typeof max === "number" && min > max) {
                issues.push({ key: `replicaOverrides.${k}`, value: v, message: `min (${min}) must not exceed max (${max})` });
            }
        }
    }
    if (issues.length > 0 || !parsed.success) {
        throw new StackConfigError(stack, issues);
    }
    return { stack, ...parsed.data };
}

/** The keys the schema declares for the object at `path` (an unknown nested key's message lists them). */
function allowedKeysAt(path: readonly PropertyKey[]): string[] {
    const unwrap = (t: unknown): unknown => (t instanceof z.ZodDefault ? t.unwrap() : t);
    let schema: unknown = rawSchema;
    for (const p of path) {
        const t = unwrap(schema);
        schema =
            t instanceof z.ZodObject ? (t.shape as Record<string, unknown>)[String(p)] :
            t instanceof z.ZodArray ? t.element :
            t instanceof z.ZodRecord ? t.valueType : undefined;
    }
    const t = unwrap(schema);
    return t instanceof z.ZodObject ? Object.keys(t.shape) : [];
}

function describeIssue(issue: z.core.$ZodIssue): string {
    switch (issue.code) {
        case "invalid_value":
            return `allowed: ${issue.values.map((v) => String(v)).join(", ")}`;
        case "invalid_type":
            return `expected ${issue.expected}`;
        case "invalid_format":
        case "too_small":
        case "too_big":
        case "custom":
            return issue.message;
        default:
            return issue.message;
    }
}

/** Image keys the platform itself needs besides the services' own. */
export const platformImageKeys = ["pgbouncer", "flagd"] as const;

/** What the catalog asks of every stack's config. */
export function catalogRequirements(cards: readonly TopologyCard[] = catalog): CatalogRequirements {
    return {
        imageKeys: [...new Set([...cards.map((c) => c.imageKey), ...platformImageKeys])],
        roles: cards.flatMap((c) => c.roles.map((r) => `${c.service}/${r.name}`)),
    };
}
