import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { peerAccountId, peerWorkloadPool } from "../../data/naming/gcp";

/**
 * Identity of the peer services on AWS that call Cloud Run (issue 15; seed 001 §5's SPIFFE sidecar is
 * not something Cloud Run runs, so the callers carry Google-signed ID tokens that Cloud Run's IAM
 * invoker check verifies). A pod's IRSA role credentials are exchanged at Google's Security Token
 * Service through a Workload Identity Federation pool with an AWS provider; the federated principal
 * impersonates its service's own GCP service account, which alone holds `roles/run.invoker` on the
 * service it calls and mints ID tokens for the internal load balancer's audience.
 */

/** The `attribute.aws_role` value (the provider's default mapping) of an IAM role's sessions. */
export function assumedRoleArn(accountId: string, roleName: string): string {
    return `arn:aws:sts::${accountId}:assumed-role/${roleName}`;
}

/** The IAM role name of a role ARN (`arn:aws:iam::<account>:role[/path]/<name>`): the assumed-role ARN drops the path. */
export function roleNameOfArn(arn: string): string {
    const m = /^arn:aws:iam::\d{12}:role\/(?:.*\/)?([\w+=,.@-]{1,64})$/.exec(arn);
    if (!m) {
        throw new Error(`not an IAM role ARN: ${arn}`);
    }
    return m[1];
}

/**
 * The provider's attribute condition: only sessions of the named roles may exchange tokens (the
 * provider already accepts only the stack's AWS account). Pure; the roles are assumed-role ARNs.
 */
export function attributeConditionOf(assumedRoles: readonly string[]): string {
    if (assumedRoles.length === 0) {
        throw new Error("a peer workload identity provider needs at least one calling role");
    }
    return `attribute.aws_role in [${[...new Set(assumedRoles)].map((r) => JSON.stringify(r)).join(", ")}]`;
}

export interface PeerCallerIdentitiesArgs {
    /** Calling services (cards' names), e.g. `assignment-service`. */
    readonly callers: readonly string[];
    readonly provider: gcp.Provider;
}

/**
 * The GCP side the callers' pods are configured with before AWS exists: the pool (its resource name
 * is part of the token-exchange audience) and one service account per calling service.
 */
export class PeerCallerIdentities extends pulumi.ComponentResource {
    /** Service account email by calling service. */
    readonly emails: Readonly<Record<string, pulumi.Output<string>>>;
    readonly accounts: Readonly<Record<string, gcp.serviceaccount.Account>>;
    /** `projects/<number>/locations/global/workloadIdentityPools/<id>`. */
    readonly poolName: pulumi.Output<string>;
    /** The audience of the STS token exchange: `//iam.googleapis.com/<pool>/providers/<id>`. */
    readonly workloadProviderAudience: pulumi.Output<string>;

    constructor(name: string, args: PeerCallerIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:PeerCallerIdentities", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const pool = new gcp.iam.WorkloadIdentityPool(
            `${name}-pool`,
            { workloadIdentityPoolId: peerWorkloadPool.poolId, displayName: "EKS peer callers", description: "IRSA roles of the EKS services that call Cloud Run (issue 15)", disabled: false },
            child,
        );
        const emails: Record<string, pulumi.Output<string>> = {};
        const accounts: Record<string, gcp.serviceaccount.Account> = {};
        for (const caller of args.callers) {
            const sa = new gcp.serviceaccount.Account(
                `${name}-${caller}`,
                { accountId: peerAccountId(caller), displayName: `${caller} (peer caller)`, description: `Impersonated by ${caller}'s IRSA roles through Workload Identity Federation; invokes only what the card's inbound names`, createIgnoreAlreadyExists: false },
                child,
            );
            accounts[caller] = sa;
            emails[caller] = sa.email;
        }
        this.emails = emails;
        this.accounts = accounts;
        this.poolName = pool.name;
        this.workloadProviderAudience = pulumi.interpolate`//iam.googleapis.com/${pool.name}/providers/${peerWorkloadPool.providerId}`;
        this.registerOutputs({ emails: this.emails, poolName: this.poolName, workloadProviderAudience: this.workloadProviderAudience });
    }
}

export interface PeerFederationArgs {
    readonly identities: PeerCallerIdentities;
    /** The stack's AWS account: the provider accepts no other. */
    readonly awsAccountId: string;
    /** IRSA role names by calling service (one per AWS region of the stack). */
    readonly roleNames: Readonly<Record<string, readonly pulumi.Input<string>[]>>;
    readonly provider: gcp.Provider;
}

/**
 * The AWS provider of the pool, restricted to the callers' IRSA roles, and per calling service the
 * grant that lets exactly its roles' sessions impersonate its service account
 * (`roles/iam.workloadIdentityUser`, authoritative on the account).
 */
export class PeerFederation extends pulumi.ComponentResource {
    readonly providerName: pulumi.Output<string>;

    constructor(name: string, args: PeerFederationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:PeerFederation", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        const { identities } = args;
        const assumed = (roles: readonly pulumi.Input<string>[]) => roles.map((r) => pulumi.output(r).apply((n) => assumedRoleArn(args.awsAccountId, n)));
        const allRoles = Object.values(args.roleNames).flatMap(assumed);
        const wip = new gcp.iam.WorkloadIdentityPoolProvider(
            `${name}-aws`,
            {
                workloadIdentityPoolId: peerWorkloadPool.poolId,
                workloadIdentityPoolProviderId: peerWorkloadPool.providerId,
                displayName: "EKS IRSA roles",
                description: "AWS account of the stack; only the calling services' IRSA roles (issue 15)",
                aws: { accountId: args.awsAccountId },
                attributeCondition: pulumi.all(allRoles).apply(attributeConditionOf),
                disabled: false,
            },
            { ...child, dependsOn: [identities] },
        );
        for (const [caller, roles] of Object.entries(args.roleNames)) {
            const account = identities.accounts[caller];
            if (!account) {
                throw new pulumi.ResourceError(`peer caller ${caller} has no service account`, this);
            }
            new gcp.serviceaccount.IAMBinding(
                `${name}-${caller}-wif-user`,
                {
                    serviceAccountId: account.name,
                    role: "roles/iam.workloadIdentityUser",
                    members: assumed(roles).map((arn) => pulumi.interpolate`principalSet://iam.googleapis.com/${identities.poolName}/attribute.aws_role/${arn}`),
                },
                { ...child, dependsOn: [wip] },
            );
        }
        this.providerName = wip.name;
        this.registerOutputs({ providerName: this.providerName });
    }
}
