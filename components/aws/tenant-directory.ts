import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface TenantDirectoryArgs {
    readonly environment: string;
    /** The region the table is created in (the stack's first home). */
    readonly region: string;
    /** CMK of the database data class in the table's region. */
    readonly keyArn: pulumi.Input<string>;
    /** The other homes' regions, each with its database CMK: a replica of the table in each. */
    readonly replicas: readonly { readonly region: string; readonly keyArn: pulumi.Input<string> }[];
    readonly protect: boolean;
}

/** Pure checks: replicas are distinct and never the table's own region. */
export function validateTenantDirectory(args: Pick<TenantDirectoryArgs, "region" | "replicas">): string[] {
    const problems: string[] = [];
    const seen = new Set<string>([args.region]);
    for (const r of args.replicas) {
        if (seen.has(r.region)) {
            problems.push(`replica region ${r.region} listed twice or equal to the table's region`);
        }
        seen.add(r.region);
    }
    return problems;
}

/** Table name of the directory. */
export function tenantDirectoryTableName(environment: string): string {
    return `tenant-home-${environment}`;
}

/**
 * The tenant → home region directory of a stack with several homes: one DynamoDB global table
 * (`tenantId` → `homeRegion`, `hostname`), replicated to every home (all in the stack's residency
 * zone), CMK-encrypted, with point-in-time recovery. tenant-service writes it at onboarding and
 * answers "where is my tenant" from it (seeds/000 §4: "pinned per tenant to home region via
 * tenant-service metadata"); clients then call their home's hostname.
 */
export class TenantDirectory extends pulumi.ComponentResource {
    readonly tableName: pulumi.Output<string>;
    readonly tableArn: pulumi.Output<string>;

    constructor(name: string, args: TenantDirectoryArgs, opts: pulumi.ComponentResourceOptions & { provider: aws.Provider }) {
        super("learning-platform:aws:TenantDirectory", name, {}, opts);
        const problems = validateTenantDirectory(args);
        if (problems.length > 0) {
            throw new pulumi.ResourceError(`invalid tenant directory:\n  - ${problems.join("\n  - ")}`, this);
        }
        const table = new aws.dynamodb.Table(
            `${name}-table`,
            {
                name: tenantDirectoryTableName(args.environment),
                billingMode: "PAY_PER_REQUEST",
                hashKey: "tenantId",
                attributes: [{ name: "tenantId", type: "S" }],
                serverSideEncryption: { enabled: true, kmsKeyArn: args.keyArn },
                pointInTimeRecovery: { enabled: true },
                deletionProtectionEnabled: args.protect,
                // Global tables replicate through the table's stream.
                streamEnabled: true,
                streamViewType: "NEW_AND_OLD_IMAGES",
                replicas: args.replicas.map((r) => ({ regionName: r.region, kmsKeyArn: r.keyArn, pointInTimeRecovery: true, propagateTags: true })),
                tags: { service: "platform", purpose: "tenant-home-directory" },
            },
            { parent: this, provider: opts.provider, protect: args.protect },
        );
        this.tableName = table.name;
        this.tableArn = table.arn;
        this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
    }
}
