import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/** Rotation of every CMEK key: 90 days, the longest the policy allows. */
export const keyRotationPeriod = "7776000s";

export interface CmekKeyArgs {
    /** KMS location: a region (`asia-south1`) or a multi-region (`us`, `europe`) for dual-region buckets. */
    readonly location: string;
    readonly keyRingName: string;
    /** Key name (seed 001 §4.1: `notification-data-{region}`). */
    readonly keyName: string;
    /** Service agents granted encrypt/decrypt on the key. */
    readonly encrypters: Readonly<Record<string, pulumi.Input<string>>>;
    readonly protect: boolean;
    readonly provider: gcp.Provider;
}

/**
 * A key ring and one CMEK key, rotated every 90 days, protected (a destroyed key makes every
 * ciphertext under it unreadable), and the service agents that use it granted encrypt/decrypt only.
 */
export class CmekKey extends pulumi.ComponentResource {
    readonly keyId: pulumi.Output<string>;
    /** The grant; resources encrypted with the key depend on it. */
    readonly grants: gcp.kms.CryptoKeyIAMBinding[];

    constructor(name: string, args: CmekKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:gcp:CmekKey", name, {}, opts);
        const child = { parent: this, provider: args.provider };
        // Key rings cannot be deleted in GCP at all; protect keeps Pulumi from pretending it can.
        const ring = new gcp.kms.KeyRing(`${name}-ring`, { name: args.keyRingName, location: args.location }, { ...child, protect: args.protect });
        const key = new gcp.kms.CryptoKey(
            `${name}-key`,
            {
                name: args.keyName,
                keyRing: ring.id,
                purpose: "ENCRYPT_DECRYPT",
                rotationPeriod: keyRotationPeriod,
                versionTemplate: { algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION", protectionLevel: "SOFTWARE" },
                destroyScheduledDuration: "2592000s",
            },
            { ...child, protect: args.protect },
        );
        this.keyId = key.id;
        // Authoritative for the role on this key: only these agents can use it, drift is reverted.
        this.grants = [
            new gcp.kms.CryptoKeyIAMBinding(
                `${name}-encrypters`,
                {
                    cryptoKeyId: key.id,
                    role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
                    members: Object.values(args.encrypters).map((email) => pulumi.interpolate`serviceAccount:${email}`),
                },
                child,
            ),
        ];
        this.registerOutputs({ keyId: this.keyId });
    }
}
