import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A DNS record a GCP Certificate Manager DNS authorization asks for (CNAME under the certified name). */
export interface ValidationRecord {
    /** Suffix of the child's logical name, e.g. `notification-service-us-east4`. */
    readonly key: string;
    readonly name: pulumi.Input<string>;
    readonly type: pulumi.Input<string>;
    readonly data: pulumi.Input<string>;
}

export interface CertificateDnsValidationArgs {
    /** The stack's domain: a public Route 53 hosted zone the AWS account holds. */
    readonly domain: string;
    readonly records: readonly ValidationRecord[];
    /** Route 53 is global: any of the stack's AWS providers (the account's). */
    readonly provider: aws.Provider;
}

/**
 * The internal load balancers' certificates are issued by GCP Certificate Manager, but the stack's
 * domain is a public Route 53 zone on the AWS side: their DNS authorization records go there (the zone
 * is looked up as the AWS edge's ACM validation does).
 */
export class CertificateDnsValidation extends pulumi.ComponentResource {
    readonly fqdns: pulumi.Output<string>[];

    constructor(name: string, args: CertificateDnsValidationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("learning-platform:interconnect:CertificateDnsValidation", name, {}, opts);
        const zone = aws.route53.getZoneOutput({ name: args.domain, privateZone: false }, { parent: this, provider: args.provider });
        this.fqdns = args.records.map(
            (r) => new aws.route53.Record(`${name}-${r.key}`, { zoneId: zone.zoneId, name: r.name, type: r.type, ttl: 300, records: [r.data], allowOverwrite: false }, { parent: this, provider: args.provider }).fqdn,
        );
        this.registerOutputs({ fqdns: this.fqdns });
    }
}
