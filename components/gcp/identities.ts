import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { accountIdOf, accountIdPattern } from "../../data/naming/gcp";

// The naming rule lives with the data (the policy pack resolves invokers by it); re-exported for existing callers.
export { accountIdOf, accountIdPattern };

/** Project roles every runtime identity needs to report telemetry (nothing that touches data). */
// Cloud Run collects stdout logs itself, so no log writer role.
export const telemetryRoles = ["roles/monitoring.metricWriter", "roles/cloudtrace.agent"] as const;

export interface IdentitiesArgs {
    readonly project: string;
    readonly unit: string;
    /** Identities to create (role names, plus `pgbouncer` and `pubsub-push`). */
    readonly identities: readonly string[];
    /** Identities that export metrics and traces (the application's roles). */
    readonly telemetry: readonly string[];
    /** Secrets each identity may read: identity → secret purposes. */
    readonly secretAccess: Readonly<Record<string, readonly string[]>>;
    /** Secret ids (`projects/…/secrets/…`) by purpose. */
    readonly secretIds: Readonly<Record<string, pulumi.Input<string>>>;
    /**
     * Secrets operations create later, readable by id prefix: identity → prefixes (the vendor
     * credentials `notification--{env}--vendor--{vendor}--{tenantId}--{credKind}`, one per tenant).
     */
    readonly prefixAccess?: Readonly<Record<string, readonly string[]>>;
    /** Project number: IAM conditions name secrets as `projects/<number>/secrets/<id>`. */
    readonly projectNumber?: pulumi.Input<string>;
    /**
     * Identities that sign URLs (V4 signed URLs for staff downloads, seed 001 §4.3). A Cloud Run
     * identity has no key file: the client library signs through IAM `signBlob`, which needs
     * `iam.serviceAccounts.signBlob` on the account itself, granted on that one account only.
     */
    readonly signers?: readonly string[];
    readonly provider: gcp.Provider;
}

/**
 * One service account per Cloud Run service (case study §19: identity per workload), each granted
 * `secretAccessor` only on the secrets its role lists, and the telemetry roles.
 */
export class Identities extends pulumi.ComponentResource {
    /** Emails by identity. */
    readonly emails: Readonly<Record<string, pulumi.Output<string>>>;
    readonly accounts: Readonly<Record<string, gcp.serviceaccount.Account>>;

    constructor(name: string, args: IdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:Identities", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const emails: Record<string, pulumi.Output<string>> = {};
        const accounts: Record<string, gcp.serviceaccount.Account> = {};
        for (const id of args.identities) {
            const sa = new gcp.serviceaccount.Account(
                `${name}-${id}`,
                { accountId: accountIdOf(args.unit, id), displayName: `${args.unit} ${id}`, description: `Runtime identity of ${args.unit}-${id}`, createIgnoreAlreadyExists: false },
                child,
            );
            accounts[id] = sa;
            emails[id] = sa.email;
            for (const role of args.telemetry.includes(id) ? telemetryRoles : []) {
                new gcp.projects.IAMMember(`${name}-${id}-${role.split("/")[1]}`, { project: args.project, role, member: sa.member }, child);
            }
        }
        // One authoritative binding per secret: exactly the identities whose role lists it.
        for (const [purpose, secretId] of Object.entries(args.secretIds)) {
            const readers = args.identities.filter((id) => (args.secretAccess[id] ?? []).includes(purpose));
            if (readers.length > 0) {
                new gcp.secretmanager.SecretIamBinding(
                    `${name}-reads-${purpose}`,
                    { secretId, role: "roles/secretmanager.secretAccessor", members: readers.map((id) => accounts[id].member) },
                    child,
                );
            }
        }
        // Per-tenant secrets do not exist yet: a conditional grant on the id prefix, never the whole project's secrets.
        for (const [id, prefixes] of Object.entries(args.prefixAccess ?? {})) {
            const account = accounts[id];
            if (!account || args.projectNumber === undefined) {
                continue;
            }
            for (const prefix of prefixes) {
                const vendor = prefix.split("--").filter((x) => x !== "").pop() ?? prefix;
                new gcp.projects.IAMMember(
                    `${name}-${id}-reads-${vendor}`,
                    {
                        project: args.project,
                        role: "roles/secretmanager.secretAccessor",
                        member: account.member,
                        condition: {
                            title: `reads ${vendor} credentials`,
                            description: `Per-tenant ${vendor} credentials operations add (seed 001 §4.5)`,
                            expression: pulumi.interpolate`resource.name.startsWith("projects/${args.projectNumber}/secrets/${prefix}")`,
                        },
                    },
                    child,
                );
            }
        }
        for (const id of args.signers ?? []) {
            const account = accounts[id];
            if (!account) {
                throw new pulumi.ResourceError(`signer ${id} is not one of the identities (${args.identities.join(", ")})`, this);
            }
            new gcp.serviceaccount.IAMMember(
                `${name}-${id}-signs-as-itself`,
                { serviceAccountId: account.name, role: "roles/iam.serviceAccountTokenCreator", member: account.member },
                child,
            );
        }
        this.emails = emails;
        this.accounts = accounts;
        this.registerOutputs({ emails: this.emails });
    }
}
