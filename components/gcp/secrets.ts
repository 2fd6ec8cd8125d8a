import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Environment, SecretPurpose } from "../../data/catalog/types";
import { secretId } from "../../data/naming/gcp";

/** The Secret Manager id of one purpose (seed 001 §4.5 naming, `/` mapped to `--`). */
export function secretIdOf(unit: string, env: Environment, p: SecretPurpose, region?: string): string {
    if (p.source === "vendor") {
        // notification/{env}/vendor/{vendor}/{tenantId}/{credKind}: the program creates the platform
        // account's container (tenant `platform`); per-tenant containers are created by operations.
        return secretId([unit, env, "vendor", p.vendor ?? p.purpose, "platform", "credentials"]);
    }
    return secretId([unit, env, "platform", region ? `${p.purpose}-${region}` : p.purpose]);
}

export interface SecretsArgs {
    readonly unit: string;
    readonly environment: Environment;
    readonly purposes: readonly SecretPurpose[];
    /** Replica locations and the CMEK key of each (the stack's regions). */
    readonly replicas: readonly { readonly region: string; readonly keyId: pulumi.Input<string> }[];
    readonly protect: boolean;
    readonly labels: Readonly<Record<string, string>>;
    readonly provider: gcp.Provider;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/**
 * The service's platform secrets and vendor credential containers. Generated values come from
 * @pulumi/random and are written once as a version; vendor containers get no version (operations add
 * them). User-managed replication in the stack's regions, each replica under that region's CMEK key.
 */
export class Secrets extends pulumi.ComponentResource {
    /** Secret resource ids by purpose (`projects/…/secrets/…`). */
    readonly ids: Readonly<Record<string, pulumi.Output<string>>>;
    /** Secret ids (short names) by purpose, for Cloud Run `secretKeyRef`. */
    readonly names: Readonly<Record<string, pulumi.Output<string>>>;
    /** Generated values by purpose (secret outputs). */
    readonly values: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:Secrets", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const ids: Record<string, pulumi.Output<string>> = {};
        const names: Record<string, pulumi.Output<string>> = {};
        const values: Record<string, pulumi.Output<string>> = {};
        for (const p of args.purposes) {
            // Provider-valued secrets (Redis AUTH) are regional: the regional platform owns them.
            if (p.source === "provider") {
                continue;
            }
            const secret = new gcp.secretmanager.Secret(
                `${name}-${p.purpose}`,
                {
                    secretId: secretIdOf(args.unit, args.environment, p),
                    replication: {
                        userManaged: {
                            replicas: args.replicas.map((r) => ({ location: r.region, customerManagedEncryption: { kmsKeyName: r.keyId } })),
                        },
                    },
                    labels: { ...args.labels, source: p.source },
                    deletionProtection: args.protect,
                },
                { ...child, protect: args.protect, dependsOn: args.dependsOn },
            );
            ids[p.purpose] = secret.id;
            names[p.purpose] = secret.secretId;
            if (p.source === "generated") {
                const value = new random.RandomPassword(
                    `${name}-${p.purpose}-value`,
                    // No special characters: the values end up in connection strings and HMAC configs.
                    { length: p.length ?? 40, special: false, minLower: 4, minUpper: 4, minNumeric: 4 },
                    { parent: this, protect: args.protect },
                );
                values[p.purpose] = pulumi.secret(value.result);
                new gcp.secretmanager.SecretVersion(`${name}-${p.purpose}-v1`, { secret: secret.id, secretData: value.result, deletionPolicy: "ABANDON" }, child);
            }
        }
        this.ids = ids;
        this.names = names;
        this.values = values;
        this.registerOutputs({ ids: this.ids });
    }
}
